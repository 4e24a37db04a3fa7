package meshplane.cluster.model;

/** A task's endpoint on one network (by data-plane id): its address and MAC ({@code 02:42} + the address). */
public record Attachment(String network, String ip, String mac) {}
