package dev.jtorch.bench;

/** A GEMM benchmark shape parsed from "OPmxnxk" (OP = NN, NT or TN), with the row-major leading dimensions. */
record GemmShape(boolean ta, boolean tb, int m, int n, int k) {
    static GemmShape parse(String s) {
        String op = s.substring(0, 2);
        String[] d = s.substring(2).split("x");
        return new GemmShape(op.charAt(0) == 'T', op.charAt(1) == 'T',
                Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]));
    }

    int lda() {
        return ta ? m : k;
    }

    int ldb() {
        return tb ? k : n;
    }

    double flops() {
        return 2.0 * m * n * k;
    }
}
