package io.entrabackup.testing;

/**
 * The master key of every test node (encryption at rest is on in tests, as in deploy/run): a fixed one, so a node
 * restarted by a test, or a second node, unwraps what the first wrapped. Never used outside tests.
 */
public final class TestMasterKey {

  /** Base64 of 32 bytes, as ENTRA_MASTER_KEY takes it. */
  public static final String BASE64 = "/r6oRsr/QH1p4t2D7BnmKqJ6113LfxiIjTl4Vfp0tzE=";

  /** The setting that configures it in process ("master-1", the id reference.conf makes current). */
  public static final String SETTING =
      "entra-backup.encryption.master-keys = [{ id = \"master-1\", key = \"" + BASE64 + "\" }]";

  private TestMasterKey() {}
}
