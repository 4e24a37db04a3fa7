package meshplane.mesh.lb;

import java.util.Optional;
import meshplane.mesh.MeshNames;
import meshplane.netlink.NetNamespace;
import meshplane.nft.TableSpec;

/**
 * meshplane's nf_tables table ({@code ip meshplane}) in one namespace, over a netlink socket
 * kept open in that namespace: read it, change it by the difference between two views, delete
 * it. Nothing else in the namespace's ruleset is touched.
 */
public final class MeshTable implements AutoCloseable {
  private final String namespace;

  public MeshTable(NetNamespace ns) {
    this.namespace = ns.name();
    throw new UnsupportedOperationException("pending nft library");
  }

  public String namespace() {
    return namespace;
  }

  /** The table as the kernel has it, or empty when there is none. */
  public Optional<TableSpec> read() {
    throw new UnsupportedOperationException("pending nft library");
  }

  /**
   * Programs the difference between {@code observed} (null: no table yet) and {@code desired},
   * two views of the same scope, in one atomic batch; returns the number of changes.
   */
  public int apply(TableSpec desired, TableSpec observed) {
    throw new UnsupportedOperationException("pending nft library");
  }

  /** Deletes the table; false if it was not there. */
  public boolean delete() {
    throw new UnsupportedOperationException("pending nft library " + MeshNames.TABLE);
  }

  @Override
  public void close() {}
}
