namespace SentryFlow.Analytics.Queries;

/// <summary>
/// The indexed expressions the request log's search uses; the migration builds its GIN indexes on exactly these, and a
/// query uses the indexes only if it repeats them word for word. Words come from PostgreSQL's text parser (<c>simple</c>
/// configuration: no stemming, no stop words) over path, error message and user agent, with slashes read as spaces so
/// that path segments are words; substrings go through trigrams of the path and error message (the user agent's
/// trigrams would cost the writer more than they give).
/// </summary>
public static class RecordSearch
{
    public const string Words =
        """to_tsvector('simple'::regconfig, replace(coalesce("Path", '') || ' ' || coalesce("ErrorMessage", '') || ' ' || coalesce("UserAgent", ''), '/', ' '))""";

    public const string Text = """(coalesce("Path", '') || ' ' || coalesce("ErrorMessage", ''))""";

    /// <summary>The tsquery for parameter <c>$n</c>: all its words.</summary>
    public static string WordsQuery(int parameter) => $"plainto_tsquery('simple'::regconfig, replace(${parameter}, '/', ' '))";
}
