package securenn.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * P1's shares of requests that P0 has not scheduled yet, by request id; bounded in total and per client connection.
 *
 * <p>Why per connection: a request reaches P1 before P0 decides anything about it, and nothing stops one client (TLS
 * pins the servers' keys, not the clients') from sending P1 halves whose other half never reaches P0. Without a
 * per-connection bound one such client fills the whole table and every other client is REJECTED until eviction.
 * A lawful client never needs more than P0 can hold for it: its queue plus the batch in flight.
 *
 * <p>Thread-safe: client readers offer, the party thread takes and evicts.
 */
final class PendingShares
{
    /** What {@link #offer} did with a share. */
    enum Admission
    {
        ADMITTED, DUPLICATE, FULL, CONNECTION_FULL
    }

    private final Map<Long, ClientGateway.Incoming> byId = new ConcurrentHashMap<>();
    private final int capacity;
    private final int perConnection;

    PendingShares(final int capacity, final int perConnection)
    {
        if (capacity < 1 || perConnection < 1 || perConnection > capacity)
        {
            throw new IllegalArgumentException("need 1 <= perConnection <= capacity, but got capacity " + capacity
                + " and perConnection " + perConnection);
        }
        this.capacity = capacity;
        this.perConnection = perConnection;
    }

    int perConnection()
    {
        return perConnection;
    }

    Admission offer(final ClientGateway.Incoming r)
    {
        if (byId.size() >= capacity)
        {
            return Admission.FULL;
        }
        if (r.connection().pendingAtP1().incrementAndGet() > perConnection)
        {
            r.connection().pendingAtP1().decrementAndGet();
            return Admission.CONNECTION_FULL;
        }
        if (byId.putIfAbsent(r.id(), r) != null)
        {
            r.connection().pendingAtP1().decrementAndGet();
            return Admission.DUPLICATE;
        }
        return Admission.ADMITTED;
    }

    boolean contains(final long id)
    {
        return byId.containsKey(id);
    }

    /** Removes and returns the share of request {@code id}, or null if none is pending. */
    ClientGateway.Incoming take(final long id)
    {
        final ClientGateway.Incoming r = byId.remove(id);
        if (r != null)
        {
            r.connection().pendingAtP1().decrementAndGet();
        }
        return r;
    }

    /** Removes every share that matches and hands it to {@code removed}. */
    void evict(final Predicate<ClientGateway.Incoming> which, final Consumer<ClientGateway.Incoming> removed)
    {
        for (final ClientGateway.Incoming r : byId.values())
        {
            if (which.test(r) && byId.remove(r.id(), r))
            {
                r.connection().pendingAtP1().decrementAndGet();
                removed.accept(r);
            }
        }
    }

    int size()
    {
        return byId.size();
    }
}
