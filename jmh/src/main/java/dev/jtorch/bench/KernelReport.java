package dev.jtorch.bench;

public final class KernelReport {
    public static void main(String[] args) {
    }
}
