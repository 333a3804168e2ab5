package dev.stowage.gateway.system;

/** Until API keys name tenants, every request acts for this one. */
public final class Tenants {

    public static final String DEFAULT = "default";

    private Tenants() {}
}
