package dev.jtorch.spark;

import dev.jtorch.nn.Module;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Supplier;

/**
 * Builds a fresh, untrained module of the architecture a state dict belongs to. Spark ships the factory to the
 * executors (it is {@link Serializable}), where each JVM calls it once per model and loads the broadcast state
 * dict into the result.
 *
 * <p>Two forms: a serializable lambda ({@code () -> new Linear(64, 10)}), or {@link #ofClass(String)}, a class
 * name that Spark ML's persistence can save and that a pipeline can name without Java serialization.
 *
 * <p>Example:
 * <pre>{@code
 * ModelFactory f = () -> new Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10));
 * ModelFactory g = ModelFactory.ofClass("com.example.MyNet");  // a Module, or a Supplier<Module>
 * }</pre>
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /** A new module, with its default initialisation (the state dict is loaded over it). */
    Module create();

    /**
     * The factory that instantiates {@code className} through its public no-argument constructor: either a
     * {@link Module} subclass, or a {@link Supplier} (or {@link ModelFactory}) of modules. The class is looked
     * up with the thread's context class loader (Spark's, which sees the application's jars), then this one's.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    static ModelFactory ofClass(String className) {
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("a model class name was expected, got " + (className == null
                    ? "null" : "'" + className + "'"));
        }
        return new ClassFactory(className.strip());
    }

    /** The class name this factory instantiates, or null for a factory given as an object (a lambda). */
    default String className() {
        return null;
    }

    /** {@link #ofClass(String)}'s factory: a class name, resolved where it runs. */
    record ClassFactory(String className) implements ModelFactory {
        @Override
        public Module create() {
            Class<?> c = load(className);
            // the type is checked before anything of the class runs (its static initializer, its constructor)
            if (!Module.class.isAssignableFrom(c) && !ModelFactory.class.isAssignableFrom(c)
                    && !Supplier.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException("model class " + className + " must be a dev.jtorch.nn.Module "
                        + "or a Supplier<Module>; it is a " + c.getName() + " (" + c.getSuperclass() + ")");
            }
            Object o;
            try {
                Constructor<?> k = c.getConstructor();
                o = k.newInstance();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("model class " + className + " has no public no-argument "
                        + "constructor", e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("model class " + className + "'s constructor threw: "
                        + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalArgumentException("cannot instantiate model class " + className + ": " + e, e);
            }
            Object m = o;
            if (o instanceof ModelFactory f) {
                m = f.create();
            } else if (o instanceof Supplier<?> s) {
                m = s.get();
            }
            if (!(m instanceof Module module)) {
                throw new IllegalArgumentException("model class " + className + " must be a dev.jtorch.nn.Module "
                        + "or a Supplier<Module>; it made " + (m == null ? "null" : "a " + m.getClass().getName()));
            }
            return module;
        }

        private static Class<?> load(String name) {
            ClassLoader ctx = Thread.currentThread().getContextClassLoader();
            try {
                try {
                    return Class.forName(name, false, ctx != null ? ctx : ModelFactory.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    return Class.forName(name, false, ModelFactory.class.getClassLoader());
                }
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("model class " + name + " was not found on the class path "
                        + "(ship it with the application's jar, or --jars): " + e, e);
            }
        }
    }
}
