package meshplane.nft;

/** A chain of meshplane's table: a base chain when {@code base} is set, else a regular chain (a jump target). */
public record ChainSpec(String name, BaseHook base) {
  public static ChainSpec regular(String name) {
    return new ChainSpec(name, null);
  }

  public static ChainSpec base(String name, Hook hook, ChainType type, int priority) {
    return new ChainSpec(name, new BaseHook(hook, type, priority));
  }
}
