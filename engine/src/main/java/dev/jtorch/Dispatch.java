package dev.jtorch;

import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.View;
import dev.jtorch.kernels.ConvGeometry;
import dev.jtorch.kernels.PoolWindows;

/**
 * The op layer's one call into a {@link Backend}: each method takes the tensors the op prepared (devices and
 * shapes checked, output allocated), hands their {@link View}s and the scalars to the backend of their
 * device, and returns. Nothing else in the engine calls a backend's compute methods, and a backend never sees
 * a Tensor.
 */
final class Dispatch {
    private Dispatch() {
    }

    static View view(Tensor t) {
        return t == null ? null : t.kernelView();
    }

    private static View[] views(Tensor[] ts) {
        View[] v = new View[ts.length];
        for (int i = 0; i < ts.length; i++) {
            v[i] = view(ts[i]);
        }
        return v;
    }

    static void unary(Op op, Tensor x, Tensor out, double p0, double p1) {
        out.backend().unary(op, x.kernelView(), out.kernelView(), p0, p1);
    }

    static void binary(Op op, Tensor a, Tensor b, Tensor out, double alpha) {
        out.backend().binary(op, a.kernelView(), b.kernelView(), out.kernelView(), alpha);
    }

    static void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        out.backend().where(cond.kernelView(), a.kernelView(), b.kernelView(), out.kernelView());
    }

    static void reduce(Op op, Tensor x, int[] dims, Tensor out, double p) {
        out.backend().reduce(op, x.kernelView(), dims, out.kernelView(), p);
    }

    static void softmax(Op op, Tensor x, Tensor dy, int dim, Tensor out) {
        out.backend().softmax(op, x.kernelView(), view(dy), dim, out.kernelView());
    }

    static void bmm(Tensor a, Tensor b, Tensor out, double alpha, double beta) {
        out.backend().bmm(a.kernelView(), b.kernelView(), out.kernelView(), alpha, beta);
    }

    static void bmmConstantB(Tensor a, Tensor b, Tensor out, double alpha, double beta) {
        out.backend().bmmConstantB(a.kernelView(), b.kernelView(), out.kernelView(), alpha, beta);
    }

    static void index(Op op, Tensor self, int dim, Tensor index, Tensor src, Tensor out) {
        out.backend().index(op, view(self), dim, index.kernelView(), view(src), out.kernelView());
    }

    static void copy(Tensor src, Tensor dst) {
        dst.backend().copy(src.kernelView(), dst.kernelView());
    }

    static void fill(Tensor dst, double value) {
        dst.backend().fill(dst.kernelView(), value);
    }

    static void conv(Op op, Tensor a, Tensor b, Tensor bias, Tensor out, ConvGeometry g) {
        out.backend().conv(op, a.kernelView(), view(b), view(bias), out.kernelView(), g);
    }

    static void pool(Op op, Tensor x, Tensor indices, Tensor out, PoolWindows w) {
        out.backend().pool(op, x.kernelView(), view(indices), out.kernelView(), w);
    }

    static void norm(Op op, Tensor[] in, Tensor[] out, NormShape shape) {
        Tensor first = in[0];
        first.backend().norm(op, views(in), views(out), shape);
    }

    static void ctc(Op op, Tensor logProbs, Tensor targets, long[] il, long[] tl, int[] offsets, int blank,
                    Tensor nll, Tensor alpha, Tensor gradOut, Tensor grad) {
        logProbs.backend().ctc(op, logProbs.kernelView(), targets.kernelView(), il, tl, offsets, blank, view(nll),
                view(alpha), view(gradOut), view(grad));
    }

    static int rnnReserveSize(Tensor like, RnnLayer layer) {
        return like.backend().rnnReserveSize(layer);
    }

    static void rnn(Op op, RnnLayer layer, Tensor[] in, Tensor[] out) {
        in[0].backend().rnn(op, layer, views(in), views(out));
    }

    static void embeddingBag(Tensor weight, Tensor indices, Tensor offsets, Tensor perSampleWeights, int mode,
                             long paddingIdx, Tensor out, Tensor bagOf, Tensor bagSize, Tensor maxArg) {
        out.backend().embeddingBag(weight.kernelView(), indices.kernelView(), offsets.kernelView(),
                view(perSampleWeights), mode, paddingIdx, out.kernelView(), bagOf.kernelView(), bagSize.kernelView(),
                view(maxArg));
    }

    static void sort(Tensor x, int dim, boolean descending, Tensor values, Tensor indices) {
        values.backend().sort(x.kernelView(), dim, descending, values.kernelView(), indices.kernelView());
    }

    static void scan(Op op, Tensor x, int dim, boolean reverse, Tensor out) {
        out.backend().scan(op, x.kernelView(), dim, reverse, out.kernelView());
    }

    static void attention(Op op, AttentionShape shape, Tensor[] in, Tensor[] out) {
        in[0].backend().attention(op, shape, views(in), views(out));
    }
}
