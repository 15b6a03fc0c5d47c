package mlteams.local.peers.crac;

/** A group of resources notified together; {@link Core#getGlobalContext()} is the only one used. */
public abstract class Context implements Resource {
    public abstract void register(Resource resource);
}
