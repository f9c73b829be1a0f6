package dev.jtorch.opencl;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The part of the OpenCL 1.2 C API that the backend calls, bound with java.lang.foreign (jextract's shape: one
 * static {@link MethodHandle} per function, looked up in the system's ICD loader, and a typed wrapper around
 * each). No JNI and no native library of jtorch's own: the loader is {@code libOpenCL.so.1} (or
 * {@code libOpenCL.so}) on Linux, the OpenCL framework on macOS, {@code OpenCL.dll} on Windows, or the path in
 * the system property {@code jtorch.opencl.library}.
 *
 * <p>C types map as: {@code cl_int}, {@code cl_uint}, {@code cl_bool} and the {@code *_info} enums to int;
 * {@code size_t} and the {@code cl_bitfield} types to long (a 64-bit JVM is required); handles and pointers to
 * {@link MemorySegment} addresses. Wrappers return the raw error code or handle; {@link #check} turns a code into
 * an {@link OpenClException} naming the call and the error.
 */
final class CL {
    // ---------------------------------------------------------------- constants (CL/cl.h)
    static final int CL_SUCCESS = 0;
    static final int CL_DEVICE_NOT_FOUND = -1;
    static final int CL_MEM_OBJECT_ALLOCATION_FAILURE = -4;
    static final int CL_OUT_OF_RESOURCES = -5;
    static final int CL_OUT_OF_HOST_MEMORY = -6;
    static final int CL_BUILD_PROGRAM_FAILURE = -11;
    static final int CL_PLATFORM_NOT_FOUND_KHR = -1001;

    static final int CL_PLATFORM_PROFILE = 0x0900;
    static final int CL_PLATFORM_VERSION = 0x0901;
    static final int CL_PLATFORM_NAME = 0x0902;
    static final int CL_PLATFORM_VENDOR = 0x0903;

    static final long CL_DEVICE_TYPE_CPU = 1 << 1;
    static final long CL_DEVICE_TYPE_GPU = 1 << 2;
    static final long CL_DEVICE_TYPE_ACCELERATOR = 1 << 3;
    static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;

    static final int CL_DEVICE_TYPE = 0x1000;
    static final int CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002;
    static final int CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004;
    static final int CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010;
    static final int CL_DEVICE_SINGLE_FP_CONFIG = 0x101B;
    static final int CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F;
    static final int CL_DEVICE_ENDIAN_LITTLE = 0x1026;
    static final int CL_DEVICE_AVAILABLE = 0x1027;
    static final int CL_DEVICE_COMPILER_AVAILABLE = 0x1028;
    static final int CL_DEVICE_NAME = 0x102B;
    static final int CL_DEVICE_VENDOR = 0x102C;
    static final int CL_DRIVER_VERSION = 0x102D;
    static final int CL_DEVICE_VERSION = 0x102F;
    static final int CL_DEVICE_EXTENSIONS = 0x1030;

    static final long CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT = 1 << 7;

    static final long CL_MEM_READ_WRITE = 1;

    static final int CL_PROGRAM_BINARY_SIZES = 0x1165;
    static final int CL_PROGRAM_BINARIES = 0x1166;
    static final int CL_PROGRAM_BUILD_LOG = 0x1183;

    static final int CL_KERNEL_WORK_GROUP_SIZE = 0x11B0;

    static final int CL_TRUE = 1;

    // ---------------------------------------------------------------- binding

    private static final Linker LINKER = Linker.nativeLinker();
    /** Why the library could not be bound, or null when it was. */
    private static final String UNAVAILABLE;
    private static final List<String> MISSING = new ArrayList<>();
    private static SymbolLookup lib;

    private static final MethodHandle clGetPlatformIDs;
    private static final MethodHandle clGetPlatformInfo;
    private static final MethodHandle clGetDeviceIDs;
    private static final MethodHandle clGetDeviceInfo;
    private static final MethodHandle clCreateContext;
    private static final MethodHandle clCreateCommandQueue;
    private static final MethodHandle clCreateCommandQueueWithProperties;
    private static final MethodHandle clCreateBuffer;
    private static final MethodHandle clEnqueueWriteBuffer;
    private static final MethodHandle clEnqueueReadBuffer;
    private static final MethodHandle clEnqueueCopyBuffer;
    private static final MethodHandle clEnqueueFillBuffer;
    private static final MethodHandle clCreateProgramWithSource;
    private static final MethodHandle clCreateProgramWithBinary;
    private static final MethodHandle clBuildProgram;
    private static final MethodHandle clGetProgramBuildInfo;
    private static final MethodHandle clGetProgramInfo;
    private static final MethodHandle clCreateKernel;
    private static final MethodHandle clSetKernelArg;
    private static final MethodHandle clGetKernelWorkGroupInfo;
    private static final MethodHandle clEnqueueNDRangeKernel;
    private static final MethodHandle clFlush;
    private static final MethodHandle clFinish;
    private static final MethodHandle clWaitForEvents;
    private static final MethodHandle clReleaseMemObject;
    private static final MethodHandle clReleaseKernel;
    private static final MethodHandle clReleaseProgram;
    private static final MethodHandle clReleaseCommandQueue;
    private static final MethodHandle clReleaseContext;
    private static final MethodHandle clReleaseEvent;

    static {
        String why = null;
        if (ADDRESS.byteSize() != 8) {
            why = "the OpenCL backend needs a 64-bit JVM";
        } else {
            try {
                lib = load();
            } catch (IllegalCallerException e) {
                why = "native access is not enabled for dev.jtorch.opencl: pass --enable-native-access="
                        + "dev.jtorch.opencl to java (ALL-UNNAMED on the class path) (" + e.getMessage() + ")";
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
        }
        AddressLayout p = ADDRESS;
        clGetPlatformIDs = bind("clGetPlatformIDs", JAVA_INT, JAVA_INT, p, p);
        clGetPlatformInfo = bind("clGetPlatformInfo", JAVA_INT, p, JAVA_INT, JAVA_LONG, p, p);
        clGetDeviceIDs = bind("clGetDeviceIDs", JAVA_INT, p, JAVA_LONG, JAVA_INT, p, p);
        clGetDeviceInfo = bind("clGetDeviceInfo", JAVA_INT, p, JAVA_INT, JAVA_LONG, p, p);
        clCreateContext = bind("clCreateContext", p, p, JAVA_INT, p, p, p, p);
        clCreateCommandQueue = bind("clCreateCommandQueue", p, p, p, JAVA_LONG, p);
        clCreateCommandQueueWithProperties = optional("clCreateCommandQueueWithProperties", p, p, p, p, p);
        clCreateBuffer = bind("clCreateBuffer", p, p, JAVA_LONG, JAVA_LONG, p, p);
        clEnqueueWriteBuffer = bind("clEnqueueWriteBuffer", JAVA_INT, p, p, JAVA_INT, JAVA_LONG, JAVA_LONG, p,
                JAVA_INT, p, p);
        clEnqueueReadBuffer = bind("clEnqueueReadBuffer", JAVA_INT, p, p, JAVA_INT, JAVA_LONG, JAVA_LONG, p,
                JAVA_INT, p, p);
        clEnqueueCopyBuffer = bind("clEnqueueCopyBuffer", JAVA_INT, p, p, p, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_INT, p, p);
        clEnqueueFillBuffer = bind("clEnqueueFillBuffer", JAVA_INT, p, p, p, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_INT, p, p);
        clCreateProgramWithSource = bind("clCreateProgramWithSource", p, p, JAVA_INT, p, p, p);
        clCreateProgramWithBinary = bind("clCreateProgramWithBinary", p, p, JAVA_INT, p, p, p, p, p);
        clBuildProgram = bind("clBuildProgram", JAVA_INT, p, JAVA_INT, p, p, p, p);
        clGetProgramBuildInfo = bind("clGetProgramBuildInfo", JAVA_INT, p, p, JAVA_INT, JAVA_LONG, p, p);
        clGetProgramInfo = bind("clGetProgramInfo", JAVA_INT, p, JAVA_INT, JAVA_LONG, p, p);
        clCreateKernel = bind("clCreateKernel", p, p, p, p);
        clSetKernelArg = bind("clSetKernelArg", JAVA_INT, p, JAVA_INT, JAVA_LONG, p);
        clGetKernelWorkGroupInfo = bind("clGetKernelWorkGroupInfo", JAVA_INT, p, p, JAVA_INT, JAVA_LONG, p, p);
        clEnqueueNDRangeKernel = bind("clEnqueueNDRangeKernel", JAVA_INT, p, p, JAVA_INT, p, p, p, JAVA_INT, p,
                p);
        clFlush = bind("clFlush", JAVA_INT, p);
        clFinish = bind("clFinish", JAVA_INT, p);
        clWaitForEvents = bind("clWaitForEvents", JAVA_INT, JAVA_INT, p);
        clReleaseMemObject = bind("clReleaseMemObject", JAVA_INT, p);
        clReleaseKernel = bind("clReleaseKernel", JAVA_INT, p);
        clReleaseProgram = bind("clReleaseProgram", JAVA_INT, p);
        clReleaseCommandQueue = bind("clReleaseCommandQueue", JAVA_INT, p);
        clReleaseContext = bind("clReleaseContext", JAVA_INT, p);
        clReleaseEvent = bind("clReleaseEvent", JAVA_INT, p);
        if (why == null && !MISSING.isEmpty()) {
            why = "the OpenCL library lacks " + String.join(", ", MISSING);
        }
        UNAVAILABLE = why;
    }

    private CL() {
    }

    // Restricted methods: loading a native library and linking to it is this module's purpose; users grant it with
    // --enable-native-access=dev.jtorch.opencl (module-info's Javadoc and docs/opencl.md say so).
    @SuppressWarnings("restricted")
    private static SymbolLookup load() {
        List<String> names = new ArrayList<>();
        String forced = System.getProperty("jtorch.opencl.library");
        if (forced != null && !forced.isBlank()) {
            names.add(forced);
        } else {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (os.contains("mac")) {
                names.add("/System/Library/Frameworks/OpenCL.framework/OpenCL");
            } else if (os.contains("win")) {
                names.add("OpenCL.dll");
            } else {
                names.add("libOpenCL.so.1");
                names.add("libOpenCL.so");
            }
        }
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                return SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException e) {
                failures.add(name);
            }
        }
        throw new IllegalArgumentException("no OpenCL library (ICD loader) found: tried " + String.join(", ",
                failures) + " (install an OpenCL driver, or set -Djtorch.opencl.library=/path/to/libOpenCL)");
    }

    @SuppressWarnings("restricted")
    private static MethodHandle optional(String name, MemoryLayout ret, MemoryLayout... args) {
        if (lib == null) {
            return null;
        }
        return lib.find(name).map(a -> LINKER.downcallHandle(a, FunctionDescriptor.of(ret, args))).orElse(null);
    }

    private static MethodHandle bind(String name, MemoryLayout ret, MemoryLayout... args) {
        if (lib == null) {
            return null;
        }
        MethodHandle h = optional(name, ret, args);
        if (h == null) {
            MISSING.add(name);
        }
        return h;
    }

    /** Null when the library is bound, else why not (no library, a 32-bit JVM, native access denied). */
    static String unavailable() {
        return UNAVAILABLE;
    }

    /** Whether the loader exports clCreateCommandQueueWithProperties (OpenCL 2.0). */
    static boolean hasQueueWithProperties() {
        return clCreateCommandQueueWithProperties != null;
    }

    // ---------------------------------------------------------------- errors

    /** Throws an OpenClException when {@code err} is not CL_SUCCESS. */
    static void check(String call, int err) {
        if (err != CL_SUCCESS) {
            throw new OpenClException(call, err, null);
        }
    }

    /** The name of an OpenCL error code ("CL_INVALID_VALUE"), or "unknown OpenCL error" for a code not in 1.2-3.0. */
    static String errorName(int code) {
        return switch (code) {
            case 0 -> "CL_SUCCESS";
            case -1 -> "CL_DEVICE_NOT_FOUND";
            case -2 -> "CL_DEVICE_NOT_AVAILABLE";
            case -3 -> "CL_COMPILER_NOT_AVAILABLE";
            case -4 -> "CL_MEM_OBJECT_ALLOCATION_FAILURE";
            case -5 -> "CL_OUT_OF_RESOURCES";
            case -6 -> "CL_OUT_OF_HOST_MEMORY";
            case -7 -> "CL_PROFILING_INFO_NOT_AVAILABLE";
            case -8 -> "CL_MEM_COPY_OVERLAP";
            case -9 -> "CL_IMAGE_FORMAT_MISMATCH";
            case -10 -> "CL_IMAGE_FORMAT_NOT_SUPPORTED";
            case -11 -> "CL_BUILD_PROGRAM_FAILURE";
            case -12 -> "CL_MAP_FAILURE";
            case -13 -> "CL_MISALIGNED_SUB_BUFFER_OFFSET";
            case -14 -> "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST";
            case -15 -> "CL_COMPILE_PROGRAM_FAILURE";
            case -16 -> "CL_LINKER_NOT_AVAILABLE";
            case -17 -> "CL_LINK_PROGRAM_FAILURE";
            case -18 -> "CL_DEVICE_PARTITION_FAILED";
            case -19 -> "CL_KERNEL_ARG_INFO_NOT_AVAILABLE";
            case -30 -> "CL_INVALID_VALUE";
            case -31 -> "CL_INVALID_DEVICE_TYPE";
            case -32 -> "CL_INVALID_PLATFORM";
            case -33 -> "CL_INVALID_DEVICE";
            case -34 -> "CL_INVALID_CONTEXT";
            case -35 -> "CL_INVALID_QUEUE_PROPERTIES";
            case -36 -> "CL_INVALID_COMMAND_QUEUE";
            case -37 -> "CL_INVALID_HOST_PTR";
            case -38 -> "CL_INVALID_MEM_OBJECT";
            case -39 -> "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR";
            case -40 -> "CL_INVALID_IMAGE_SIZE";
            case -41 -> "CL_INVALID_SAMPLER";
            case -42 -> "CL_INVALID_BINARY";
            case -43 -> "CL_INVALID_BUILD_OPTIONS";
            case -44 -> "CL_INVALID_PROGRAM";
            case -45 -> "CL_INVALID_PROGRAM_EXECUTABLE";
            case -46 -> "CL_INVALID_KERNEL_NAME";
            case -47 -> "CL_INVALID_KERNEL_DEFINITION";
            case -48 -> "CL_INVALID_KERNEL";
            case -49 -> "CL_INVALID_ARG_INDEX";
            case -50 -> "CL_INVALID_ARG_VALUE";
            case -51 -> "CL_INVALID_ARG_SIZE";
            case -52 -> "CL_INVALID_KERNEL_ARGS";
            case -53 -> "CL_INVALID_WORK_DIMENSION";
            case -54 -> "CL_INVALID_WORK_GROUP_SIZE";
            case -55 -> "CL_INVALID_WORK_ITEM_SIZE";
            case -56 -> "CL_INVALID_GLOBAL_OFFSET";
            case -57 -> "CL_INVALID_EVENT_WAIT_LIST";
            case -58 -> "CL_INVALID_EVENT";
            case -59 -> "CL_INVALID_OPERATION";
            case -60 -> "CL_INVALID_GL_OBJECT";
            case -61 -> "CL_INVALID_BUFFER_SIZE";
            case -62 -> "CL_INVALID_MIP_LEVEL";
            case -63 -> "CL_INVALID_GLOBAL_WORK_SIZE";
            case -64 -> "CL_INVALID_PROPERTY";
            case -65 -> "CL_INVALID_IMAGE_DESCRIPTOR";
            case -66 -> "CL_INVALID_COMPILER_OPTIONS";
            case -67 -> "CL_INVALID_LINKER_OPTIONS";
            case -68 -> "CL_INVALID_DEVICE_PARTITION_COUNT";
            case -69 -> "CL_INVALID_PIPE_SIZE";
            case -70 -> "CL_INVALID_DEVICE_QUEUE";
            case -71 -> "CL_INVALID_SPEC_ID";
            case -72 -> "CL_MAX_SIZE_RESTRICTION_EXCEEDED";
            case -1001 -> "CL_PLATFORM_NOT_FOUND_KHR";
            default -> "unknown OpenCL error";
        };
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---------------------------------------------------------------- typed calls (raw codes and handles)

    static int getPlatformIDs(int n, MemorySegment platforms, MemorySegment count) {
        try {
            return (int) clGetPlatformIDs.invokeExact(n, platforms, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getPlatformInfo(MemorySegment platform, int param, long size, MemorySegment value,
                               MemorySegment sizeRet) {
        try {
            return (int) clGetPlatformInfo.invokeExact(platform, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getDeviceIDs(MemorySegment platform, long type, int n, MemorySegment devices, MemorySegment count) {
        try {
            return (int) clGetDeviceIDs.invokeExact(platform, type, n, devices, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getDeviceInfo(MemorySegment device, int param, long size, MemorySegment value,
                             MemorySegment sizeRet) {
        try {
            return (int) clGetDeviceInfo.invokeExact(device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment createContext(MemorySegment props, int n, MemorySegment devices, MemorySegment err) {
        try {
            return (MemorySegment) clCreateContext.invokeExact(props, n, devices, MemorySegment.NULL,
                    MemorySegment.NULL, err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment createCommandQueue(MemorySegment context, MemorySegment device, long props,
                                            MemorySegment err) {
        try {
            return (MemorySegment) clCreateCommandQueue.invokeExact(context, device, props, err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment createCommandQueueWithProperties(MemorySegment context, MemorySegment device,
                                                          MemorySegment props, MemorySegment err) {
        try {
            return (MemorySegment) clCreateCommandQueueWithProperties.invokeExact(context, device, props, err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment createBuffer(MemorySegment context, long flags, long size, MemorySegment err) {
        try {
            return (MemorySegment) clCreateBuffer.invokeExact(context, flags, size, MemorySegment.NULL, err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int enqueueWriteBuffer(MemorySegment queue, MemorySegment mem, boolean blocking, long offset, long size,
                                  MemorySegment host) {
        try {
            return (int) clEnqueueWriteBuffer.invokeExact(queue, mem, blocking ? CL_TRUE : 0, offset, size, host, 0,
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int enqueueReadBuffer(MemorySegment queue, MemorySegment mem, boolean blocking, long offset, long size,
                                 MemorySegment host) {
        try {
            return (int) clEnqueueReadBuffer.invokeExact(queue, mem, blocking ? CL_TRUE : 0, offset, size, host, 0,
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int enqueueCopyBuffer(MemorySegment queue, MemorySegment src, MemorySegment dst, long srcOffset,
                                 long dstOffset, long size) {
        try {
            return (int) clEnqueueCopyBuffer.invokeExact(queue, src, dst, srcOffset, dstOffset, size, 0,
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int enqueueFillBuffer(MemorySegment queue, MemorySegment mem, MemorySegment pattern, long patternSize,
                                 long offset, long size) {
        try {
            return (int) clEnqueueFillBuffer.invokeExact(queue, mem, pattern, patternSize, offset, size, 0,
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment createProgramWithSource(MemorySegment context, MemorySegment strings,
                                                 MemorySegment lengths, MemorySegment err) {
        try {
            return (MemorySegment) clCreateProgramWithSource.invokeExact(context, 1, strings, lengths, err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment createProgramWithBinary(MemorySegment context, MemorySegment device,
                                                 MemorySegment lengths, MemorySegment binaries,
                                                 MemorySegment status, MemorySegment err) {
        try {
            return (MemorySegment) clCreateProgramWithBinary.invokeExact(context, 1, device, lengths, binaries,
                    status, err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int buildProgram(MemorySegment program, MemorySegment device, MemorySegment options) {
        try {
            return (int) clBuildProgram.invokeExact(program, 1, device, options, MemorySegment.NULL,
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getProgramBuildInfo(MemorySegment program, MemorySegment device, int param, long size,
                                   MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) clGetProgramBuildInfo.invokeExact(program, device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getProgramInfo(MemorySegment program, int param, long size, MemorySegment value,
                              MemorySegment sizeRet) {
        try {
            return (int) clGetProgramInfo.invokeExact(program, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment createKernel(MemorySegment program, MemorySegment name, MemorySegment err) {
        try {
            return (MemorySegment) clCreateKernel.invokeExact(program, name, err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setKernelArg(MemorySegment kernel, int index, long size, MemorySegment value) {
        try {
            return (int) clSetKernelArg.invokeExact(kernel, index, size, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getKernelWorkGroupInfo(MemorySegment kernel, MemorySegment device, int param, long size,
                                      MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) clGetKernelWorkGroupInfo.invokeExact(kernel, device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int enqueueNDRangeKernel(MemorySegment queue, MemorySegment kernel, MemorySegment global,
                                    MemorySegment local) {
        try {
            return (int) clEnqueueNDRangeKernel.invokeExact(queue, kernel, 1, MemorySegment.NULL, global, local, 0,
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** clEnqueueNDRangeKernel over {@code dims} dimensions ({@code global} and {@code local} hold that many sizes). */
    static int enqueueNDRangeKernel(MemorySegment queue, MemorySegment kernel, int dims, MemorySegment global,
                                    MemorySegment local) {
        try {
            return (int) clEnqueueNDRangeKernel.invokeExact(queue, kernel, dims, MemorySegment.NULL, global, local,
                    0, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int flush(MemorySegment queue) {
        try {
            return (int) clFlush.invokeExact(queue);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int finish(MemorySegment queue) {
        try {
            return (int) clFinish.invokeExact(queue);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int waitForEvents(int n, MemorySegment events) {
        try {
            return (int) clWaitForEvents.invokeExact(n, events);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int releaseMemObject(MemorySegment mem) {
        try {
            return (int) clReleaseMemObject.invokeExact(mem);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int releaseKernel(MemorySegment kernel) {
        try {
            return (int) clReleaseKernel.invokeExact(kernel);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int releaseProgram(MemorySegment program) {
        try {
            return (int) clReleaseProgram.invokeExact(program);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int releaseCommandQueue(MemorySegment queue) {
        try {
            return (int) clReleaseCommandQueue.invokeExact(queue);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int releaseContext(MemorySegment context) {
        try {
            return (int) clReleaseContext.invokeExact(context);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int releaseEvent(MemorySegment event) {
        try {
            return (int) clReleaseEvent.invokeExact(event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- info queries

    /** A string-valued clGetPlatformInfo. */
    static String platformString(MemorySegment platform, int param) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            check("clGetPlatformInfo", getPlatformInfo(platform, param, 0, MemorySegment.NULL, size));
            long n = size.get(JAVA_LONG, 0);
            MemorySegment buf = a.allocate(Math.max(1, n));
            check("clGetPlatformInfo", getPlatformInfo(platform, param, n, buf, MemorySegment.NULL));
            return buf.getString(0).trim();
        }
    }

    /** A string-valued clGetDeviceInfo. */
    static String deviceString(MemorySegment device, int param) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            check("clGetDeviceInfo", getDeviceInfo(device, param, 0, MemorySegment.NULL, size));
            long n = size.get(JAVA_LONG, 0);
            MemorySegment buf = a.allocate(Math.max(1, n));
            check("clGetDeviceInfo", getDeviceInfo(device, param, n, buf, MemorySegment.NULL));
            return buf.getString(0).trim();
        }
    }

    /** A cl_ulong- or size_t-valued clGetDeviceInfo. */
    static long deviceLong(MemorySegment device, int param) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check("clGetDeviceInfo", getDeviceInfo(device, param, 8, v, MemorySegment.NULL));
            return v.get(JAVA_LONG, 0);
        }
    }

    /** A cl_uint- or cl_bool-valued clGetDeviceInfo. */
    static int deviceInt(MemorySegment device, int param) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check("clGetDeviceInfo", getDeviceInfo(device, param, 4, v, MemorySegment.NULL));
            return v.get(JAVA_INT, 0);
        }
    }
}
