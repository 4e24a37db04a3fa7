/**
 * meshplane's nf_tables library: one table per namespace, described as a value
 * ({@link meshplane.nft.TableSpec}: chains, sets and maps with their elements, rules made of
 * {@link meshplane.nft.Expr} expressions), read back from the kernel, diffed, and changed in
 * one atomic netlink batch. It never touches a table it does not own.
 */
package meshplane.nft;
