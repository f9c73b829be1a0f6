package dev.jtorch.kernels;

/**
 * Fused per-time-step RNN kernels in PyTorch's layouts: given the pre-activation gates of one step, one pass
 * computes every activation and the new state and saves what backward needs; one pass computes the gate
 * gradients.
 *
 * <p>Layouts (row-major, contiguous, one row per batch element, from the given offsets):
 * <ul>
 *   <li>LSTM: {@code gates [B, 4H]} = x W_ih^T + b_ih + h W_hh^T + b_hh in the order i | f | g | o;
 *       {@code cPrev, c, h [B, H]}; {@code act [B, 4H]} receives the activated gates
 *       (sigmoid i, sigmoid f, tanh g, sigmoid o) and may be {@code gates} itself.
 *       c = f * cPrev + i * g, h = o * tanh(c).</li>
 *   <li>GRU (r | z | n): the input side {@code xGates [B, 3H]} = x W_ih^T + b_ih and the hidden side
 *       {@code hGates [B, 3H]} = h W_hh^T + b_hh arrive separately, because
 *       n = tanh(x_n + r * (W_hn h + b_hn)); r = sigmoid(x_r + h_r), z = sigmoid(x_z + h_z),
 *       h' = (1 - z) * n + z * h, computed as n + z * (h - n) as PyTorch does. {@code ws [B, 4H]} saves
 *       r | z | n | h_n for backward.</li>
 *   <li>RNN: h = tanh(pre) or relu(pre), {@code pre, h [B, H]}; h may be pre.</li>
 * </ul>
 * Backward passes take the incoming gradients of h (and of c for LSTM; {@code dc} may be null for zeros)
 * and write the gradients of the pre-activations (for GRU, both sides: {@code dxGates} and {@code dhGates},
 * whose n slice is dn * r) and the direct part of the gradient of the previous state (LSTM: dcPrev;
 * GRU: dhPrev = dh * z; the rest comes through W_hh^T by the caller's GEMM).
 *
 * <p>Example (one LSTM step of a batch, after the two GEMMs have filled {@code gates}):
 * <pre>{@code
 * RnnGates.lstmGatesForward(batch, hidden, gates, 0, cPrev, 0, c, 0, h, 0, gates, 0);
 * }</pre>
 *
 * <p>The kernels throw {@link IllegalArgumentException} for negative sizes or offsets or arrays too short, before
 * any write.
 */
public final class RnnGates {
    /** The nonlinearity of a plain RNN, as torch.nn.RNN's {@code nonlinearity} argument. */
    public enum Nonlinearity {
        /** {@code nonlinearity='tanh'}, the default. */
        TANH,
        /** {@code nonlinearity='relu'}. */
        RELU
    }

    private RnnGates() {
    }

    private static void arr(String name, Object a, int off, long n) {
        Checks.range(name, a, off, n);
    }

    private static void lstmFwdChecks(int batch, int hidden, Object gates, int gOff, Object cPrev, int cpOff, Object c,
                                      int cOff, Object h, int hOff, Object act, int aOff) {
        long bh = Checks.block("hidden", batch, hidden);
        arr("gates", gates, gOff, 4 * bh);
        arr("cPrev", cPrev, cpOff, bh);
        arr("c", c, cOff, bh);
        arr("h", h, hOff, bh);
        arr("act", act, aOff, 4 * bh);
    }

    private static void lstmBwdChecks(int batch, int hidden, Object act, int aOff, Object cPrev, int cpOff, Object c,
                                      int cOff, Object dh, int dhOff, Object dc, int dcOff, Object dGates, int dgOff,
                                      Object dcPrev, int dcpOff) {
        long bh = Checks.block("hidden", batch, hidden);
        arr("act", act, aOff, 4 * bh);
        arr("cPrev", cPrev, cpOff, bh);
        arr("c", c, cOff, bh);
        arr("dh", dh, dhOff, bh);
        if (dc != null) {
            arr("dc", dc, dcOff, bh);
        }
        arr("dGates", dGates, dgOff, 4 * bh);
        arr("dcPrev", dcPrev, dcpOff, bh);
    }

    private static void gruFwdChecks(int batch, int hidden, Object xg, int xOff, Object hg, int hgOff, Object hPrev,
                                     int hpOff, Object h, int hOff, Object ws, int wsOff) {
        long bh = Checks.block("hidden", batch, hidden);
        arr("xGates", xg, xOff, 3 * bh);
        arr("hGates", hg, hgOff, 3 * bh);
        arr("hPrev", hPrev, hpOff, bh);
        arr("h", h, hOff, bh);
        arr("ws", ws, wsOff, 4 * bh);
    }

    private static void gruBwdChecks(int batch, int hidden, Object ws, int wsOff, Object hPrev, int hpOff, Object dh,
                                     int dhOff, Object dxg, int dxOff, Object dhg, int dhgOff, Object dhPrev, int dhpOff) {
        long bh = Checks.block("hidden", batch, hidden);
        arr("ws", ws, wsOff, 4 * bh);
        arr("hPrev", hPrev, hpOff, bh);
        arr("dh", dh, dhOff, bh);
        arr("dxGates", dxg, dxOff, 3 * bh);
        arr("dhGates", dhg, dhgOff, 3 * bh);
        arr("dhPrev", dhPrev, dhpOff, bh);
    }

    private static void rnnChecks(int batch, int hidden, Nonlinearity nl, String a, Object x, int xOff, String b, Object y,
                                  int yOff) {
        long bh = Checks.block("hidden", batch, hidden);
        if (nl == null) {
            throw new IllegalArgumentException("nonlinearity must not be null");
        }
        arr(a, x, xOff, bh);
        arr(b, y, yOff, bh);
    }

    /** One LSTM step: activations of {@code gates}, new cell state {@code c} and hidden state {@code h}. */
    public static void lstmGatesForward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                                        float[] c, int cOff, float[] h, int hOff, float[] act, int actOff) {
        lstmFwdChecks(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff, act, actOff);
        Kernels.PROVIDER.lstmForward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff, act, actOff);
    }

    /** LSTM step backward: from dh (and dc, or null) to the pre-activation gate gradients and dcPrev. */
    public static void lstmGatesBackward(int batch, int hidden, float[] act, int actOff, float[] cPrev, int cPrevOff,
                                         float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff,
                                         float[] dGates, int dGatesOff, float[] dcPrev, int dcPrevOff) {
        lstmBwdChecks(batch, hidden, act, actOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dGates, dGatesOff,
                dcPrev, dcPrevOff);
        Kernels.PROVIDER.lstmBackward(batch, hidden, act, actOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff,
                                      dGates, dGatesOff, dcPrev, dcPrevOff);
    }

    /** One GRU step with PyTorch's formula; saves r | z | n | h_n in {@code ws}. */
    public static void gruGatesForward(int batch, int hidden, float[] xGates, int xGatesOff, float[] hGates, int hGatesOff,
                                       float[] hPrev, int hPrevOff, float[] h, int hOff, float[] ws, int wsOff) {
        gruFwdChecks(batch, hidden, xGates, xGatesOff, hGates, hGatesOff, hPrev, hPrevOff, h, hOff, ws, wsOff);
        Kernels.PROVIDER.gruForward(batch, hidden, xGates, xGatesOff, hGates, hGatesOff, hPrev, hPrevOff, h, hOff, ws,
                                    wsOff);
    }

    /** GRU step backward: gradients of both gate sides and the direct part of dhPrev (dh * z). */
    public static void gruGatesBackward(int batch, int hidden, float[] ws, int wsOff, float[] hPrev, int hPrevOff,
                                        float[] dh, int dhOff, float[] dxGates, int dxGatesOff, float[] dhGates,
                                        int dhGatesOff, float[] dhPrev, int dhPrevOff) {
        gruBwdChecks(batch, hidden, ws, wsOff, hPrev, hPrevOff, dh, dhOff, dxGates, dxGatesOff, dhGates, dhGatesOff,
                dhPrev, dhPrevOff);
        Kernels.PROVIDER.gruBackward(batch, hidden, ws, wsOff, hPrev, hPrevOff, dh, dhOff, dxGates, dxGatesOff, dhGates,
                                     dhGatesOff, dhPrev, dhPrevOff);
    }

    /** One plain RNN step: h = tanh(pre) or relu(pre). */
    public static void rnnStepForward(int batch, int hidden, Nonlinearity nonlinearity, float[] pre, int preOff,
                                      float[] h, int hOff) {
        rnnChecks(batch, hidden, nonlinearity, "pre", pre, preOff, "h", h, hOff);
        if (nonlinearity == Nonlinearity.TANH) {
            Kernels.PROVIDER.tanh(pre, preOff, h, hOff, batch * hidden);
        } else {
            Kernels.PROVIDER.relu(pre, preOff, h, hOff, batch * hidden);
        }
    }

    /** Plain RNN step backward from the step's output h: dPre = dh * (1 - h^2) or dh * (h &gt; 0). */
    public static void rnnStepBackward(int batch, int hidden, Nonlinearity nonlinearity, float[] h, int hOff,
                                       float[] dh, int dhOff, float[] dPre, int dPreOff) {
        rnnChecks(batch, hidden, nonlinearity, "h", h, hOff, "dh", dh, dhOff);
        arr("dPre", dPre, dPreOff, (long) batch * hidden);
        if (nonlinearity == Nonlinearity.TANH) {
            Kernels.PROVIDER.tanhBackward(h, hOff, dh, dhOff, dPre, dPreOff, batch * hidden);
        } else {
            Kernels.PROVIDER.reluBackward(h, hOff, dh, dhOff, dPre, dPreOff, batch * hidden);
        }
    }

    /** One LSTM step: activations of {@code gates}, new cell state {@code c} and hidden state {@code h}. */
    public static void lstmGatesForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                                        double[] c, int cOff, double[] h, int hOff, double[] act, int actOff) {
        lstmFwdChecks(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff, act, actOff);
        Kernels.PROVIDER.lstmForward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff, act, actOff);
    }

    /** LSTM step backward: from dh (and dc, or null) to the pre-activation gate gradients and dcPrev. */
    public static void lstmGatesBackward(int batch, int hidden, double[] act, int actOff, double[] cPrev, int cPrevOff,
                                         double[] c, int cOff, double[] dh, int dhOff, double[] dc, int dcOff,
                                         double[] dGates, int dGatesOff, double[] dcPrev, int dcPrevOff) {
        lstmBwdChecks(batch, hidden, act, actOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dGates, dGatesOff,
                dcPrev, dcPrevOff);
        Kernels.PROVIDER.lstmBackward(batch, hidden, act, actOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff,
                                      dGates, dGatesOff, dcPrev, dcPrevOff);
    }

    /** One GRU step with PyTorch's formula; saves r | z | n | h_n in {@code ws}. */
    public static void gruGatesForward(int batch, int hidden, double[] xGates, int xGatesOff, double[] hGates, int hGatesOff,
                                       double[] hPrev, int hPrevOff, double[] h, int hOff, double[] ws, int wsOff) {
        gruFwdChecks(batch, hidden, xGates, xGatesOff, hGates, hGatesOff, hPrev, hPrevOff, h, hOff, ws, wsOff);
        Kernels.PROVIDER.gruForward(batch, hidden, xGates, xGatesOff, hGates, hGatesOff, hPrev, hPrevOff, h, hOff, ws,
                                    wsOff);
    }

    /** GRU step backward: gradients of both gate sides and the direct part of dhPrev (dh * z). */
    public static void gruGatesBackward(int batch, int hidden, double[] ws, int wsOff, double[] hPrev, int hPrevOff,
                                        double[] dh, int dhOff, double[] dxGates, int dxGatesOff, double[] dhGates,
                                        int dhGatesOff, double[] dhPrev, int dhPrevOff) {
        gruBwdChecks(batch, hidden, ws, wsOff, hPrev, hPrevOff, dh, dhOff, dxGates, dxGatesOff, dhGates, dhGatesOff,
                dhPrev, dhPrevOff);
        Kernels.PROVIDER.gruBackward(batch, hidden, ws, wsOff, hPrev, hPrevOff, dh, dhOff, dxGates, dxGatesOff, dhGates,
                                     dhGatesOff, dhPrev, dhPrevOff);
    }

    /** One plain RNN step: h = tanh(pre) or relu(pre). */
    public static void rnnStepForward(int batch, int hidden, Nonlinearity nonlinearity, double[] pre, int preOff,
                                      double[] h, int hOff) {
        rnnChecks(batch, hidden, nonlinearity, "pre", pre, preOff, "h", h, hOff);
        if (nonlinearity == Nonlinearity.TANH) {
            Kernels.PROVIDER.tanh(pre, preOff, h, hOff, batch * hidden);
        } else {
            Kernels.PROVIDER.relu(pre, preOff, h, hOff, batch * hidden);
        }
    }

    /** Plain RNN step backward from the step's output h: dPre = dh * (1 - h^2) or dh * (h &gt; 0). */
    public static void rnnStepBackward(int batch, int hidden, Nonlinearity nonlinearity, double[] h, int hOff,
                                       double[] dh, int dhOff, double[] dPre, int dPreOff) {
        rnnChecks(batch, hidden, nonlinearity, "h", h, hOff, "dh", dh, dhOff);
        arr("dPre", dPre, dPreOff, (long) batch * hidden);
        if (nonlinearity == Nonlinearity.TANH) {
            Kernels.PROVIDER.tanhBackward(h, hOff, dh, dhOff, dPre, dPreOff, batch * hidden);
        } else {
            Kernels.PROVIDER.reluBackward(h, hOff, dh, dhOff, dPre, dPreOff, batch * hidden);
        }
    }
}
