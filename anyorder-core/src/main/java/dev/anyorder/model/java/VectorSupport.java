package dev.anyorder.model.java;

/**
 * Whether this JVM can run the kernels written on the incubating Vector API (JEP 338 onwards): the
 * module is in the boot layer (the JVM ran with {@code --add-modules jdk.incubator.vector}, as the
 * launcher and the tests do) and {@code -Danyorder.vector=false} did not turn it off. Classes that use
 * the API are loaded only when this is true; every such kernel has a plain-Java twin.
 */
public final class VectorSupport {
  /** True when the Vector API kernels may be used. */
  public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"false".equals(System.getProperty("anyorder.vector"));

  private VectorSupport() {}
}
