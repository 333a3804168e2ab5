/** Test support shared by every module: the real services, per-run isolation, corpus files, HTTP helpers. */
package dev.stowage.testing;
