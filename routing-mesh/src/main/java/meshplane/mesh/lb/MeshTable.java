package meshplane.mesh.lb;

import java.util.List;
import java.util.Optional;
import meshplane.mesh.names.MeshNames;
import meshplane.netlink.NetNamespace;
import meshplane.nft.NfTables;
import meshplane.nft.NftChange;
import meshplane.nft.NftFamily;
import meshplane.nft.TableDiff;
import meshplane.nft.TableSpec;

/**
 * meshplane's nf_tables table ({@code ip meshplane}) in one namespace, over a netlink socket
 * kept open in that namespace: read it, change it by the difference between two views, delete
 * it. Nothing else in the namespace's ruleset is touched.
 */
public final class MeshTable implements AutoCloseable {
  private final String namespace;
  private final NfTables nft;

  public MeshTable(NetNamespace ns) {
    this.namespace = ns.name();
    this.nft = NfTables.open(ns);
  }

  public String namespace() {
    return namespace;
  }

  /** The table as the kernel has it, or empty when there is none. */
  public Optional<TableSpec> read() {
    return nft.read(NftFamily.IP, MeshNames.TABLE);
  }

  /**
   * Programs the difference between {@code observed} (null: no table yet) and {@code desired},
   * two views of the same scope, in one atomic batch; returns the number of changes.
   */
  public int apply(TableSpec desired, TableSpec observed) {
    List<NftChange> changes = TableDiff.diff(desired, observed);
    if (!changes.isEmpty()) {
      nft.apply(NftFamily.IP, MeshNames.TABLE, changes);
    }
    return changes.size();
  }

  /** Deletes the table; false if it was not there. */
  public boolean delete() {
    if (read().isEmpty()) {
      return false;
    }
    nft.deleteTable(NftFamily.IP, MeshNames.TABLE);
    return true;
  }

  @Override
  public void close() {
    nft.close();
  }
}
