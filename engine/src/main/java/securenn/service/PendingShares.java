package securenn.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * P1's shares of requests that P0 has not scheduled yet, by request id; bounded in total and per client address.
 *
 * <p>Why per address: a request reaches P1 before P0 decides anything about it, and nothing stops one client (TLS
 * pins the servers' keys, not the clients') from sending P1 halves whose other half never reaches P0. Without a
 * per-client bound one such client fills the whole table and every other client is REJECTED until eviction; a bound
 * per connection would not do, since a client can open several. The bound is what P0 can hold for one client — its
 * queue plus the batch in flight — so the table (twice the queue plus a batch) always has room for others. Limits:
 * clients behind one address (a NAT) share the bound, and an attacker with several addresses gets several; halves
 * whose other half P0 rejected stay counted until they expire (P0 does not tell P1), so a client that keeps sending
 * into an overloaded service may be refused here until then.
 *
 * <p>Thread-safe: client readers offer, the party thread takes and evicts.
 */
final class PendingShares
{
    /** What {@link #offer} did with a share. */
    enum Admission
    {
        ADMITTED, DUPLICATE, FULL, CLIENT_FULL
    }

    private final Map<Long, ClientGateway.Incoming> byId = new ConcurrentHashMap<>();
    private final Map<java.net.InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final int capacity;
    private final int perClient;

    PendingShares(final int capacity, final int perClient)
    {
        if (capacity < 1 || perClient < 1 || perClient > capacity)
        {
            throw new IllegalArgumentException("need 1 <= perClient <= capacity, but got capacity " + capacity
                + " and perClient " + perClient);
        }
        this.capacity = capacity;
        this.perClient = perClient;
    }

    int perClient()
    {
        return perClient;
    }

    Admission offer(final ClientGateway.Incoming r)
    {
        if (byId.size() >= capacity) // a soft bound: concurrent offers may pass it by a few
        {
            return Admission.FULL;
        }
        final boolean[] over = new boolean[1];
        perAddress.compute(r.connection().address(), (a, n) ->
        {
            final int held = n == null ? 0 : n;
            over[0] = held >= perClient;
            return over[0] ? n : held + 1;
        });
        if (over[0])
        {
            return Admission.CLIENT_FULL;
        }
        if (byId.putIfAbsent(r.id(), r) != null)
        {
            release(r);
            return Admission.DUPLICATE;
        }
        return Admission.ADMITTED;
    }

    /** Removes and returns the share of request {@code id}, or null if none is pending. */
    ClientGateway.Incoming take(final long id)
    {
        final ClientGateway.Incoming r = byId.remove(id);
        if (r != null)
        {
            release(r);
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
                release(r);
                removed.accept(r);
            }
        }
    }

    private void release(final ClientGateway.Incoming r)
    {
        perAddress.computeIfPresent(r.connection().address(), (a, n) -> n <= 1 ? null : n - 1);
    }

    int size()
    {
        return byId.size();
    }
}
