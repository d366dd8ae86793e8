using System.Globalization;

namespace SentryFlow.Bench.Faults;

/// <summary>How one post of a batch ended, as a client sees it.</summary>
public enum PostOutcome
{
    /// <summary>202: the records not listed as rejected are accepted.</summary>
    Accepted,

    /// <summary>503: refused, to send again after Retry-After.</summary>
    Unavailable,

    /// <summary>429: the project's ingest limit; to send again after Retry-After.</summary>
    RateLimited,

    /// <summary>Any other 5xx (a 500 is never a right answer).</summary>
    ServerError,

    /// <summary>No answer in time, or no connection: the client cannot know what happened, and sends it again.</summary>
    NoAnswer,

    /// <summary>Any other 4xx: the client does not send it again (nothing the suite sends should get one).</summary>
    ClientError,
}

/// <summary>
/// Every record a fault's load sent, from the answers ingest gave for it to how many times PostgreSQL holds it. Ids are
/// the records' <c>clientId</c>s, prefixed with the fault's name, so the stored ones are found by prefix. Thread-safe.
/// </summary>
public sealed class RecordTracker(string prefix)
{
    private readonly Dictionary<string, RecordState> _records = [];
    private readonly Dictionary<PostOutcome, int> _posts = [];
    private int _next;
    private int _unsettled;

    /// <summary>The prefix of every id this tracker hands out (the fault's name and a dash).</summary>
    public string Prefix { get; } = prefix + "-";

    /// <summary>Batches handed out that have been neither accepted nor given up yet.</summary>
    public int Unsettled
    {
        get
        {
            lock (_records)
            {
                return _unsettled;
            }
        }
    }

    /// <summary>The ids of a new batch of <paramref name="size"/> records, each sent for the first time.</summary>
    public IReadOnlyList<string> NewBatch(int size)
    {
        lock (_records)
        {
            var ids = new string[size];
            for (var i = 0; i < size; i++)
            {
                ids[i] = Prefix + (++_next).ToString("D7", CultureInfo.InvariantCulture);
                _records[ids[i]] = new RecordState();
            }

            _unsettled++;
            return ids;
        }
    }

    /// <summary>
    /// One post of the batch <paramref name="ids"/> ended with <paramref name="outcome"/>; for a 202,
    /// <paramref name="rejectedIndexes"/> are the items ingest refused for their content. Returns whether the client
    /// sends the batch again (it does unless it was accepted or refused for good).
    /// </summary>
    public bool Answered(IReadOnlyList<string> ids, PostOutcome outcome, IReadOnlyCollection<int>? rejectedIndexes = null)
    {
        lock (_records)
        {
            _posts[outcome] = _posts.GetValueOrDefault(outcome) + 1;
            for (var i = 0; i < ids.Count; i++)
            {
                var record = _records[ids[i]];
                switch (outcome)
                {
                    case PostOutcome.Accepted when rejectedIndexes?.Contains(i) == true:
                    case PostOutcome.ClientError:
                        record.Rejected = true;
                        break;
                    case PostOutcome.Accepted:
                        record.Accepted = true;
                        break;
                    default:
                        record.Refused = true;
                        break;
                }
            }

            var again = outcome is not (PostOutcome.Accepted or PostOutcome.ClientError);
            if (!again)
            {
                _unsettled--;
            }

            return again;
        }
    }

    /// <summary>The client stopped sending the batch again (it kept being refused past the client's patience).</summary>
    public void GaveUp(IReadOnlyList<string> ids)
    {
        lock (_records)
        {
            foreach (var id in ids)
            {
                _records[id].GaveUp = true;
            }

            _unsettled--;
        }
    }

    /// <summary>The ids of records answered 202 (the ones that must be stored).</summary>
    public IReadOnlyList<string> AcceptedIds()
    {
        lock (_records)
        {
            return [.. _records.Where(r => r.Value.Accepted).Select(r => r.Key)];
        }
    }

    /// <summary>
    /// The tally against <paramref name="stored"/>, how many times PostgreSQL holds each id (ids it does not hold may be
    /// left out; ids of other trackers are ignored).
    /// </summary>
    public FaultTally Account(IReadOnlyDictionary<string, int> stored)
    {
        lock (_records)
        {
            var tally = new FaultTally { Posts = new Dictionary<PostOutcome, int>(_posts) };
            foreach (var (id, record) in _records)
            {
                var copies = stored.GetValueOrDefault(id);
                tally.Sent++;
                tally.Accepted += record.Accepted ? 1 : 0;
                tally.Refused += record.Refused ? 1 : 0;
                tally.RefusedThenAccepted += record.Refused && record.Accepted ? 1 : 0;
                tally.Rejected += record.Rejected ? 1 : 0;
                tally.GivenUp += record.GaveUp ? 1 : 0;
                tally.Stored += copies > 0 ? 1 : 0;
                tally.Lost += record.Accepted && copies == 0 ? 1 : 0;
                tally.Duplicated += copies > 1 ? 1 : 0;
                tally.StoredUnaccepted += !record.Accepted && copies > 0 ? 1 : 0;
            }

            return tally;
        }
    }

    private sealed class RecordState
    {
        public bool Accepted { get; set; }

        public bool Refused { get; set; }

        public bool Rejected { get; set; }

        public bool GaveUp { get; set; }
    }
}

/// <summary>What became of a fault's records (counts of records, except <see cref="Posts"/>).</summary>
public sealed class FaultTally
{
    public int Sent { get; set; }

    /// <summary>Answered 202 at some post (first or a retry).</summary>
    public int Accepted { get; set; }

    /// <summary>Refused at least once (503, 429, another 5xx, or no answer).</summary>
    public int Refused { get; set; }

    /// <summary>Refused, then accepted when the client sent it again.</summary>
    public int RefusedThenAccepted { get; set; }

    /// <summary>Refused for its content (a 4xx, or listed as rejected in a 202).</summary>
    public int Rejected { get; set; }

    /// <summary>Never accepted: the client gave up sending it.</summary>
    public int GivenUp { get; set; }

    /// <summary>Held by PostgreSQL at least once.</summary>
    public int Stored { get; set; }

    /// <summary>Accepted but not stored.</summary>
    public int Lost { get; set; }

    /// <summary>Stored more than once.</summary>
    public int Duplicated { get; set; }

    /// <summary>Stored although no post of it was answered 202 (a refusal that was not quite true).</summary>
    public int StoredUnaccepted { get; set; }

    /// <summary>Posts by how they ended.</summary>
    public IReadOnlyDictionary<PostOutcome, int> Posts { get; init; } = new Dictionary<PostOutcome, int>();
}
