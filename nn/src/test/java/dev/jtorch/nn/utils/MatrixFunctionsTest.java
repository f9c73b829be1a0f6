package dev.jtorch.nn.utils;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The composite matrix functions under parametrizations.orthogonal against PyTorch 1.13's torch.matrix_exp,
 * torch.geqrf, torch.linalg.householder_product and torch.linalg.solve (the "fn." entries of
 * parametrize.safetensors, float64), and through gradcheck.
 */
class MatrixFunctionsTest {
    static final Map<String, Tensor> G = load();

    static Map<String, Tensor> load() {
        try (InputStream in = MatrixFunctionsTest.class.getResourceAsStream("/goldens/parametrize.safetensors")) {
            return SafeTensors.open(in.readAllBytes()).all();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void close(String what, Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = expected.contiguous().toDoubleArray();
        double[] a = actual.detach().contiguous().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= tol + tol * Math.abs(e[i]),
                    what + "[" + i + "]: expected " + e[i] + ", got " + a[i]);
        }
    }

    @Test
    void matrixExpMatchesTorch() {
        close("matrix_exp", G.get("fn.matrix_exp.out"), MatrixFunctions.matrixExp(G.get("fn.matrix_exp.in")), 1e-12);
        // a norm of ~20: five squarings
        close("matrix_exp big", G.get("fn.matrix_exp_big.out"),
                MatrixFunctions.matrixExp(G.get("fn.matrix_exp_big.in")), 1e-10);
    }

    @Test
    void geqrfAndHouseholderProductMatchTorch() {
        Tensor[] qr = MatrixFunctions.geqrf(G.get("fn.geqrf.in"));
        close("geqrf a", G.get("fn.geqrf.a"), qr[0], 1e-12);
        close("geqrf tau", G.get("fn.geqrf.tau"), qr[1], 1e-12);
        close("householder_product", G.get("fn.householder_product.out"),
                MatrixFunctions.householderProduct(G.get("fn.geqrf.a"), G.get("fn.geqrf.tau")), 1e-12);
    }

    @Test
    void cayleySolveMatchesTorch() {
        Tensor s = G.get("fn.cayley.in");
        Tensor id = Torch.eye(5, 5, DType.FLOAT64);
        close("cayley", G.get("fn.cayley.out"), MatrixFunctions.solveUnpivoted(id.add(s, -0.5), id.add(s, 0.5)), 1e-12);
    }

    @Test
    void makeOrthogonalGivesPositiveDiagonalQr() {
        Torch.manualSeed(3);
        Tensor a = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 2, 5, 3);
        Tensor q = MatrixFunctions.makeOrthogonal(a);
        close("q^T q", Torch.eye(3, 3, DType.FLOAT64).expand(2, 3, 3), q.transpose(-2, -1).matmul(q), 1e-12);
        Tensor r = q.transpose(-2, -1).matmul(a);   // upper triangular with a positive diagonal
        close("tril(r, -1)", Torch.zeros(DType.FLOAT64, 2, 3, 3), r.tril(-1), 1e-12);
        assertTrue(MatrixFunctions.diagonal(r).gt(0).all().item() != 0);
    }

    @Test
    void gradcheckThroughEachFunction() {
        Torch.manualSeed(4);
        Tensor a = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 2, 3, 3).requiresGrad_(true);
        assertTrue(Autograd.gradcheck(in -> MatrixFunctions.matrixExp(in[0].mul(3)), a));
        Tensor m = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 2, 3, 3).add(Torch.eye(3, 3, DType.FLOAT64)
                .mul(4)).requiresGrad_(true);
        Tensor b = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 2, 3, 2).requiresGrad_(true);
        assertTrue(Autograd.gradcheck(in -> MatrixFunctions.solveUnpivoted(in[0], in[1]), m, b));
        Tensor v = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 4, 3).requiresGrad_(true);
        Tensor tau = Torch.rand(Torch.defaultGenerator(), DType.FLOAT64, 3).requiresGrad_(true);
        assertTrue(Autograd.gradcheck(in -> MatrixFunctions.householderProduct(in[0], in[1]), v, tau));
    }

    @Test
    void refusesWrongShapes() {
        assertThrows(IllegalArgumentException.class, () -> MatrixFunctions.matrixExp(Torch.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> MatrixFunctions.householderProduct(Torch.zeros(2, 3), Torch.zeros(3)));
    }
}
