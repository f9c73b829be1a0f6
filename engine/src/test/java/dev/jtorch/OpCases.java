package dev.jtorch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The Java side of tools/parity/gen_engine_goldens.py: the same op per case name. */
final class OpCases {
    private OpCases() {
    }

    /** The device the golden runs put inputs on (OpsGoldenTest's second-backend run sets it). */
    static volatile Device device = Device.CPU;

    static Tensor ar(int n, DType dt) {
        return Torch.arange(n).to(dt).to(device);
    }

    static final Map<String, Function<Tensor[], Tensor>> CASES = new LinkedHashMap<>();

    private static void c(String name, Function<Tensor[], Tensor> f) {
        CASES.put(name, f);
    }

    static {
        c("neg", x -> x[0].neg());
        c("abs", x -> x[0].abs());
        c("sign", x -> x[0].sign());
        c("exp", x -> x[0].exp());
        c("expm1", x -> x[0].expm1());
        c("log", x -> x[0].log());
        c("log1p", x -> x[0].log1p());
        c("sqrt", x -> x[0].sqrt());
        c("rsqrt", x -> x[0].rsqrt());
        c("reciprocal", x -> x[0].reciprocal());
        c("sin", x -> x[0].sin());
        c("cos", x -> x[0].cos());
        c("tanh", x -> x[0].tanh());
        c("sigmoid", x -> x[0].sigmoid());
        c("relu", x -> x[0].relu());
        c("leaky_relu", x -> x[0].leakyRelu(0.1));
        c("erf", x -> x[0].erf());
        c("gelu", x -> x[0].gelu(false));
        c("gelu_tanh", x -> x[0].gelu(true));
        c("softplus", x -> x[0].softplus(2, 3));
        c("floor", x -> x[0].floor());
        c("ceil", x -> x[0].ceil());
        c("round", x -> x[0].round());
        c("trunc", x -> x[0].trunc());
        c("pow_scalar", x -> x[0].pow(2.5));
        c("pow_int", x -> x[0].pow(3));
        c("clamp", x -> x[0].clamp(-0.5, 0.5));
        c("clamp_min", x -> x[0].clampMin(-0.2));
        c("clamp_max", x -> x[0].clampMax(0.3));
        c("square", x -> x[0].square());
        c("exp_transposed", x -> x[0].t().exp());
        c("exp_narrowed", x -> x[0].narrow(1, 2, 33).exp());
        c("sigmoid_narrowed", x -> x[0].slice(1, 1, 38).sigmoid());
        c("add_bias", x -> x[0].add(x[1]));
        c("mul_rows_narrowed", x -> x[0].slice(1, 3, 36).mul(x[1]));
        c("div_row_scalar", x -> x[0].div(x[1]));
        c("tanh_sliced", x -> x[0].slice(0, 0, 5, 2).slice(1, 1, 6, 2).tanh());
        c("add", x -> x[0].add(x[1]));
        c("add_alpha", x -> x[0].add(x[1], -2.5));
        c("sub", x -> x[0].sub(x[1]));
        c("mul", x -> x[0].mul(x[1]));
        c("div", x -> x[0].div(x[1]));
        c("pow", x -> x[0].pow(x[1]));
        c("maximum", x -> x[0].maximum(x[1]));
        c("minimum", x -> x[0].minimum(x[1]));
        c("add_broadcast", x -> x[0].add(x[1]));
        c("mul_broadcast", x -> x[0].mul(x[1]));
        c("div_broadcast", x -> x[0].div(x[1]));
        c("sub_transposed", x -> x[0].sub(x[1].t()));
        c("mul_sliced", x -> x[0].slice(0, 0, 6, 2).mul(x[1]));
        c("add_scalar", x -> x[0].add(1.5));
        c("mul_scalar", x -> x[0].mul(-0.75));
        c("div_scalar", x -> x[0].div(3.0));
        c("rsub_scalar", x -> x[0].rsub(2.0));
        c("where", x -> Torch.where(x[0].gt(0.0), x[0], x[1]));
        c("where_broadcast", x -> Torch.where(x[0].gt(0.0), x[0].mul(2.0), x[1]));
        c("masked_fill", x -> x[0].maskedFill(x[0].lt(0.0), -7.0));
        c("sum", x -> x[0].sum());
        c("sum_dim", x -> x[0].sum(1, true));
        c("sum_dims", x -> x[0].sum(new int[] {0, 2}, false));
        c("sum_dim0", x -> x[0].sum(0));
        c("mean", x -> x[0].mean());
        c("mean_dim", x -> x[0].mean(-1, false));
        c("var", x -> x[0].var());
        c("var_dim", x -> x[0].var(new int[] {1}, 0, true));
        c("std", x -> x[0].std());
        c("std_dim", x -> x[0].std(new int[] {0}, 1, false));
        c("prod", x -> x[0].prod());
        c("prod_dim", x -> x[0].prod(1, false));
        c("max", x -> x[0].max());
        c("min", x -> x[0].min());
        c("max_dim", x -> x[0].max(1, false)[0]);
        c("min_dim", x -> x[0].min(0, true)[0]);
        c("amax", x -> x[0].amax(new int[] {0, 2}, false));
        c("logsumexp", x -> x[0].logsumexp(1, false));
        c("norm", x -> x[0].norm());
        c("norm_1", x -> x[0].norm(1, new int[] {1}, false));
        c("norm_inf", x -> x[0].norm(Double.POSITIVE_INFINITY, new int[] {0}, false));
        c("norm_3", x -> x[0].norm(3, new int[] {1}, true));
        c("view", x -> x[0].view(2, 6).mul(ar(6, x[0].dtype())));
        c("reshape_noncontig", x -> x[0].t().reshape(12).mul(ar(12, x[0].dtype())));
        c("transpose", x -> x[0].transpose(0, 2).contiguous().mul(ar(24, x[0].dtype()).view(4, 3, 2)));
        c("permute", x -> x[0].permute(2, 0, 1).tanh());
        c("narrow", x -> x[0].narrow(0, 1, 3).exp());
        c("select", x -> x[0].select(1, 2).exp());
        c("slice_step", x -> x[0].slice(0, 1, 6, 2).sin());
        c("expand", x -> x[0].expand(3, 4).sin());
        c("squeeze", x -> x[0].squeeze(1).sin());
        c("unsqueeze", x -> x[0].unsqueeze(1).sin());
        c("flatten", x -> x[0].flatten(1, -1).sin());
        c("unflatten", x -> x[0].unflatten(1, 3, 4).sin());
        c("cat", x -> Torch.cat(new Tensor[] {x[0], x[1]}, 0).sin());
        c("cat_dim1", x -> Torch.cat(new Tensor[] {x[0], x[1].exp()}, 1));
        c("stack", x -> Torch.stack(new Tensor[] {x[0], x[1]}, 1).sin());
        c("chunk", x -> x[0].chunk(3, 0)[1].exp());
        c("split", x -> x[0].split(3, 0)[2].exp());
        c("repeat", x -> x[0].repeat(2, 1, 2).sin());
        c("t", x -> x[0].t().sin());
        c("clone", x -> x[0].clone().sin());
        c("index_select", x -> x[0].indexSelect(0, x[1]));
        c("index_select_dim1", x -> x[0].indexSelect(1, x[1]));
        c("gather", x -> x[0].gather(1, x[1]));
        c("scatter", x -> x[0].scatter(1, x[1], x[2]));
        c("scatter_add", x -> x[0].scatterAdd(1, x[1], x[2]));
        c("index_add", x -> x[0].indexAdd(0, x[1], x[2]));
        c("matmul", x -> x[0].matmul(x[1]));
        c("matmul_batched", x -> x[0].matmul(x[1]));
        c("matmul_3d_2d", x -> x[0].matmul(x[1]));
        c("matmul_vec_mat", x -> x[0].matmul(x[1]));
        c("mv", x -> x[0].mv(x[1]));
        c("dot", x -> x[0].dot(x[1]));
        c("mm_transposed", x -> x[0].t().mm(x[1].t()));
        c("bmm", x -> x[0].bmm(x[1]));
        c("addmm", x -> x[0].addmm(x[1], x[2]));
        c("addmm_scaled", x -> x[0].addmm(x[1], x[2], 0.5, 2.0));
        c("softmax", x -> x[0].softmax(1));
        c("softmax_dim0", x -> x[0].softmax(0));
        c("log_softmax", x -> x[0].logSoftmax(1));
        c("log_softmax_3d", x -> x[0].logSoftmax(1));
        c("eq", x -> x[0].eq(x[1]));
        c("ne", x -> x[0].ne(x[1]));
        c("lt", x -> x[0].lt(x[1]));
        c("le", x -> x[0].le(x[1]));
        c("gt", x -> x[0].gt(0.25));
        c("ge", x -> x[0].ge(1.0));
        c("logical_and", x -> x[0].gt(0.0).logicalAnd(x[1].gt(0.0)));
        c("logical_or", x -> x[0].gt(0.0).logicalOr(x[1].gt(0.0)));
        c("logical_xor", x -> x[0].gt(0.0).logicalXor(x[1].gt(0.0)));
        c("logical_not", x -> x[0].gt(0.0).logicalNot());
        c("isnan", x -> x[0].log().isnan());
        c("argmax_all", x -> x[0].argmax());
        c("argmax_dim", x -> x[0].argmax(1, false));
        c("argmin_dim", x -> x[0].argmin(0, true));
        c("max_indices", x -> x[0].max(1, false)[1]);
        c("any_dim", x -> x[0].gt(1.0).any(1, false));
        c("all_dim", x -> x[0].gt(-1.0).all(0, false));
        c("bool_sum", x -> x[0].gt(0.0).sum(1));
        c("int_arith", x -> x[0].add(x[1].mul(3L)).sub(1L));
        c("int_true_div", x -> x[0].div(x[1]));
        c("int_sum_prod", x -> x[0].prod(1, false).add(x[0].sum(1)));
        c("int_clamp_abs", x -> x[0].clamp(-3, 4).mul(x[0].abs()));
        c("int_pow", x -> x[0].pow(2));
        c("int_max", x -> x[0].amax(new int[] {1}, false));
        c("to_int64", x -> x[0].int64());
        c("where_scalar", x -> Torch.where(x[0].gt(0.0), x[0], 0.0));
        c("to_float32", x -> x[0].float32().float64().mul(2.0));
    }

    static int[] a(int... v) {
        return v;
    }

    /** The nn primitives of NnOps (mirrors the CASES.update block of gen_engine_goldens.py). */
    static {
        c("conv1d", x -> NnOps.convolution(x[0], x[1], x[2], a(2), a(1), a(1), false, a(0), 1));
        c("conv2d", x -> NnOps.convolution(x[0], x[1], x[2], a(1, 2), a(1, 0), a(2, 1), false, a(0, 0), 1));
        c("conv2d_groups", x -> NnOps.convolution(x[0], x[1], null, a(1, 1), a(1, 1), a(1, 1), false, a(0, 0), 2));
        c("conv2d_depthwise", x -> NnOps.convolution(x[0], x[1], x[2], a(2, 2), a(1, 1), a(1, 1), false, a(0, 0), 3));
        c("conv2d_pointwise", x -> NnOps.convolution(x[0], x[1], x[2], a(1, 1), a(0, 0), a(1, 1), false, a(0, 0), 1));
        c("conv3d", x -> NnOps.convolution(x[0], x[1], x[2], a(1, 2, 1), a(1, 0, 1), a(1, 1, 1), false, a(0, 0, 0), 1));
        c("conv_transpose1d", x -> NnOps.convolution(x[0], x[1], null, a(1), a(0), a(2), true, a(1), 2));
        c("conv_transpose2d", x -> NnOps.convolution(x[0], x[1], x[2], a(2, 2), a(1, 1), a(1, 1), true, a(1, 1), 1));
        c("conv_transpose3d", x -> NnOps.convolution(x[0], x[1], x[2], a(2, 2, 2), a(0, 0, 0), a(1, 1, 1), true,
                a(0, 0, 0), 1));
        c("unfold", x -> NnOps.im2col(x[0], a(2, 3), a(1, 2), a(1, 1), a(2, 1)));
        c("fold", x -> NnOps.col2im(x[0], a(5, 6), a(2, 2), a(1, 1), a(0, 0), a(1, 1)));
        c("max_pool1d", x -> NnOps.maxPool(x[0], 1, a(3), a(2), a(0), a(1), false, false)[0]);
        c("max_pool2d", x -> NnOps.maxPool(x[0], 2, a(3, 3), a(2, 2), a(1, 1), a(1, 1), true, false)[0]);
        c("max_pool2d_dilated", x -> NnOps.maxPool(x[0], 2, a(2, 3), a(1, 1), a(0, 0), a(2, 2), false, false)[0]);
        c("max_pool3d", x -> NnOps.maxPool(x[0], 3, a(2, 2, 2), a(2, 2, 2), a(0, 0, 0), a(1, 1, 1), true, false)[0]);
        c("avg_pool1d", x -> NnOps.avgPool(x[0], 1, a(3), a(2), a(1), false, true, null));
        c("avg_pool2d", x -> NnOps.avgPool(x[0], 2, a(3, 3), a(2, 2), a(1, 1), true, false, null));
        c("avg_pool2d_divisor", x -> NnOps.avgPool(x[0], 2, a(2, 2), a(2, 2), a(0, 0), false, true, 3));
        c("avg_pool3d", x -> NnOps.avgPool(x[0], 3, a(2, 3, 2), a(2, 2, 2), a(1, 1, 1), false, true, null));
        c("adaptive_avg_pool1d", x -> NnOps.adaptiveAvgPool(x[0], a(4)));
        c("adaptive_avg_pool2d", x -> NnOps.adaptiveAvgPool(x[0], a(3, 4)));
        c("adaptive_avg_pool3d", x -> NnOps.adaptiveAvgPool(x[0], a(2, 3, 4)));
        c("adaptive_max_pool1d", x -> NnOps.adaptiveMaxPool(x[0], a(4), false)[0]);
        c("adaptive_max_pool2d", x -> NnOps.adaptiveMaxPool(x[0], a(3, 4), false)[0]);
        c("adaptive_max_pool3d", x -> NnOps.adaptiveMaxPool(x[0], a(2, 3, 4), false)[0]);
        c("fractional_max_pool2d", x -> NnOps.fractionalMaxPool(x[0], a(2, 2), a(4, 4),
                x[1].to(DType.FLOAT64).div(1000.0), false)[0]);
        c("fractional_max_pool3d", x -> NnOps.fractionalMaxPool(x[0], a(2, 2, 3), a(3, 4, 3),
                x[1].to(DType.FLOAT64).div(1000.0), false)[0]);
        c("max_unpool2d", x -> NnOps.maxUnpool(x[0], x[1], a(6, 6)));
        c("batch_norm_train", x -> NnOps.batchNorm(x[0], x[1], x[2],
                Torch.linspace(-1, 1, 3, x[0].dtype()).to(x[0].device()),
                Torch.linspace(0.5, 2, 3, x[0].dtype()).to(x[0].device()), true, 0.1, 1e-5));
        c("batch_norm_eval", x -> NnOps.batchNorm(x[0], x[1], x[2],
                Torch.linspace(-1, 1, 3, x[0].dtype()).to(x[0].device()),
                Torch.linspace(0.5, 2, 3, x[0].dtype()).to(x[0].device()), false, 0.1, 1e-3));
        c("batch_norm_noaffine", x -> NnOps.batchNorm(x[0], null, null, null, null, true, 0.1, 1e-5));
        c("layer_norm", x -> NnOps.layerNorm(x[0], a(4, 5), x[1], x[2], 1e-5));
        c("layer_norm_noaffine", x -> NnOps.layerNorm(x[0], a(7), null, null, 1e-3));
        c("group_norm", x -> NnOps.groupNorm(x[0], 3, x[1], x[2], 1e-5));
        c("group_norm_noaffine", x -> NnOps.groupNorm(x[0], 2, null, null, 1e-4));
        c("embedding", x -> NnOps.embedding(x[0], x[1], 5, true));
        c("embedding_plain", x -> NnOps.embedding(x[0], x[1], -1, false));
        c("embedding_bag_sum", x -> NnOps.embeddingBag(x[0], x[1], x[2], 0, x[3], false, 3, false)[0]);
        c("embedding_bag_mean", x -> NnOps.embeddingBag(x[0], x[1], x[2], 1, null, true, 4, false)[0]);
        c("embedding_bag_max", x -> NnOps.embeddingBag(x[0], x[1], null, 2, null, false, -1, false)[0]);
    }

    /** NaN replaced by 0 (the NaN cases' values, so that gradcheck's differences stay finite). */
    static Tensor notNan(Tensor v) {
        return Torch.where(v.isnan().logicalNot(), v, 0.0);
    }

    /** Sorting, selection, scans and triangles (mirrors the SortOps/ScanOps block of gen_engine_goldens.py). */
    static {
        c("sort", x -> x[0].sort(1).values());
        c("sort_descending_dim0", x -> x[0].sort(0, true).values());
        c("sort_stable", x -> Torch.sort(x[0], true, -1, false).values());
        c("sort_indices", x -> x[0].sort().indices());
        c("sort_ties_indices", x -> x[0].sort(true, -1, false).indices());
        c("sort_ties_desc_indices", x -> x[0].sort(true, 1, true).indices());
        c("sort_ties_dim0_indices", x -> x[0].sort(true, 0, false).indices());
        c("sort_nan_indices", x -> x[0].sort(true, -1, false).indices());
        c("sort_nan_desc_indices", x -> x[0].sort(true, -1, true).indices());
        c("sort_nan_values", x -> notNan(x[0].sort(-1, true).values()));
        c("sort_noncontig", x -> x[0].t().slice(1, 0, 6, 2).sort(1).values());
        c("sort_3d", x -> x[0].sort(1, true).values());
        c("sort_int64", x -> x[0].sort(true, -1, true).values());
        c("sort_int64_indices", x -> x[0].sort(true, -1, false).indices());
        c("argsort", x -> x[0].argsort(0, true));
        c("argsort_stable", x -> Torch.argsort(x[0], 1, false, true));
        c("topk", x -> x[0].topk(3).values());
        c("topk_smallest_dim0", x -> x[0].topk(2, 0, false, true).values());
        c("topk_indices", x -> x[0].topk(4, 1).indices());
        c("topk_unsorted", x -> x[0].topk(3, -1, true, false).values().sort().values());
        c("topk_noncontig", x -> x[0].t().topk(2).values());
        c("topk_nan_indices", x -> x[0].topk(3).indices());
        c("kthvalue", x -> x[0].kthvalue(3).values());
        c("kthvalue_keepdim_dim0", x -> x[0].kthvalue(2, 0, true).values());
        c("kthvalue_indices", x -> x[0].kthvalue(5, 1).indices());
        c("kthvalue_nan_indices", x -> x[0].kthvalue(8).indices());
        c("cumsum", x -> x[0].cumsum(1));
        c("cumsum_noncontig", x -> x[0].t().cumsum(0));
        c("cumsum_3d", x -> x[0].cumsum(-2));
        c("cumsum_int64", x -> x[0].cumsum(1));
        c("cumsum_bool", x -> x[0].gt(0.0).cumsum(1));
        c("cumsum_int_dtype", x -> x[0].cumsum(0, DType.FLOAT64));
        c("cumprod", x -> x[0].cumprod(1));
        c("cumprod_zeros", x -> x[0].cumprod(1));
        c("cumprod_zeros_noncontig", x -> x[0].t().cumprod(0));
        c("cumprod_int64", x -> x[0].cumprod(1));
        c("tril", x -> x[0].tril());
        c("tril_batched", x -> x[0].tril(-1));
        c("tril_wide_diagonal", x -> x[0].tril(2));
        c("triu", x -> x[0].triu(1));
        c("triu_batched", x -> x[0].triu(-2));
        c("triu_noncontig", x -> x[0].t().triu());
        c("tril_int64", x -> x[0].tril(1));
        c("triu_bool", x -> x[0].gt(0.0).triu());
    }

    /** Scaled dot-product attention (mirrors the attention block of gen_engine_goldens.py). */
    static {
        c("scaled_dot_product_attention", x -> NnOps.scaledDotProductAttention(x[0], x[1], x[2], x[3], 0, false,
                null));
        c("sdpa_causal", x -> NnOps.scaledDotProductAttention(x[0], x[1], x[2], null, 0, true, 0.8));
    }
}
