package dev.jtorch.opencl;

/**
 * An OpenCL call that failed: the message names the call and the error ({@code "clCreateBuffer failed:
 * CL_MEM_OBJECT_ALLOCATION_FAILURE (-4)"}), followed by what jtorch was doing and, for a failed program build,
 * the compiler's build log.
 */
public final class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The OpenCL function that failed. */
    private final String call;
    /** The OpenCL error code it returned. */
    private final int code;

    OpenClException(String call, int code, String detail) {
        super(call + " failed: " + CL.errorName(code) + " (" + code + ")" + (detail == null ? "" : ": " + detail));
        this.call = call;
        this.code = code;
    }

    /** The OpenCL function that failed ({@code "clBuildProgram"}). */
    public String call() {
        return call;
    }

    /** The OpenCL error code (negative; {@code -4} for CL_MEM_OBJECT_ALLOCATION_FAILURE). */
    public int code() {
        return code;
    }

    /** The name of the error code ({@code "CL_MEM_OBJECT_ALLOCATION_FAILURE"}). */
    public String errorName() {
        return CL.errorName(code);
    }
}
