/**
 * The typed desired data-plane state of one node (docs/dataplane-state.md): what the dispatcher
 * computes, the routing mesh programs and the embedded DNS answers from. Addresses are address
 * types, modes and protocols enums, lists never null; {@link meshplane.dataplane.StateValidator}
 * checks a state whole. JSON exists only at the edge, in {@link meshplane.dataplane.json}.
 */
package meshplane.dataplane;
