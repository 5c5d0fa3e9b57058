using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// How far a log has been forwarded to one endpoint: the <see cref="LogEvent.Id"/> of the last event
/// the collector acknowledged. Forwarding resumes with the events after it
/// (<see cref="EventFilter.After"/>), so a forwarder stopped at any point sends again at most the
/// batch it had open.
/// <para>
/// The file (by default <see cref="DefaultPath"/>, beside the log; in the caller's cache when the log's
/// directory is another user's, see <see cref="DefaultLocation"/>) is one small JSON object,
/// replaced as a whole (temporary file, sync, rename) each time the checkpoint moves:
/// <c>{"version":1,"log":"/var/log/audit.jsonl","endpoint":"https://otel:4318/v1/logs","last_id":12345,"at":"2026-02-13T14:30:22.123Z"}</c>.
/// A missing file means nothing was forwarded yet. A damaged file, or one that belongs to another
/// log or endpoint, is an error rather than a fresh start, which would send the whole log again;
/// deleting the file is how to start over.
/// </para>
/// <para>
/// The endpoint is written as it may be shown (<see cref="OtlpEndpoint.Redacted"/>: the query's values
/// masked), so a secret in the URL does not rest in the file; the file's name still tells endpoints apart
/// by their whole URL. One forwarder per log and endpoint at a time (<see cref="ForwarderLock"/>, a lock
/// file beside this one): two would send duplicates, and the file would hold whichever saved last.
/// </para>
/// </summary>
public sealed class ForwardingCheckpoint
{
    private const int Version = 1;

    private ForwardingCheckpoint(StateLocation location, string logPath, Uri endpoint, long? lastId)
    {
        Location = location;
        LogPath = logPath;
        Endpoint = endpoint;
        LastId = lastId;
    }

    /// <summary>The checkpoint file; null when it is kept in memory only (<see cref="StatePlace.NotKept"/>).</summary>
    public string? Path => Location.Path;

    /// <summary>Where the checkpoint is kept, and why there when it is not beside the log (<see cref="StateLocation.Note"/>).</summary>
    public StateLocation Location { get; private set; }

    /// <summary>The log's full path.</summary>
    public string LogPath { get; }

    /// <summary>The endpoint the events go to (the full URL requests are posted to).</summary>
    public Uri Endpoint { get; }

    /// <summary>The id of the last event acknowledged by the endpoint; null when none was (forwarding starts at the beginning of the log).</summary>
    public long? LastId { get; private set; }

    /// <summary>A checkpoint kept in memory only, starting with nothing acknowledged: for a forwarder that sends a selection of events.</summary>
    internal static ForwardingCheckpoint InMemory(string logPath, Uri endpoint) =>
        new(new StateLocation(null, StatePlace.NotKept, null), System.IO.Path.GetFullPath(logPath), endpoint, null);

    /// <summary>
    /// <c>&lt;log&gt;.forward-&lt;hash&gt;.json</c> beside the log, the hash being the first 8 hex digits of the
    /// SHA-256 of the endpoint's absolute URL: one checkpoint per log and endpoint.
    /// </summary>
    public static string DefaultPath(string logPath, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint.AbsoluteUri)), 0, 4).ToLowerInvariant();
        return $"{System.IO.Path.GetFullPath(logPath)}.forward-{hash}.json";
    }

    /// <summary>
    /// Where the checkpoint lives when no file is given: <see cref="DefaultPath"/> in a directory the
    /// caller owns; when the log's directory is another user's, in the caller's cache
    /// (<c>$XDG_CACHE_HOME/scoutaudit</c>, else <c>~/.cache/scoutaudit</c>, as
    /// <c>&lt;log&gt;.&lt;hash of its full path&gt;.forward-&lt;hash&gt;.json</c>): the checkpoint is the
    /// forwarder's progress, not the log's, and a command that reads writes nothing in a directory
    /// the caller does not own. Nowhere (in memory) when that cache is not the caller's alone.
    /// </summary>
    public static StateLocation DefaultLocation(string logPath, Uri endpoint)
    {
        var besideLog = DefaultPath(logPath, endpoint);
        return CallersCache.Locate(logPath, besideLog, besideLog[System.IO.Path.GetFullPath(logPath).Length..],
            "the forwarding checkpoint (the last event the collector acknowledged)");
    }

    /// <summary>
    /// Reads the checkpoint of <paramref name="logPath"/> and <paramref name="endpoint"/> from
    /// <paramref name="path"/> (null: <see cref="DefaultLocation"/>). A missing file is a checkpoint with no
    /// <see cref="LastId"/>; so is one kept nowhere (<see cref="DefaultLocation"/>).
    /// </summary>
    /// <exception cref="AuditLogException">The file cannot be read, is damaged, or belongs to another log or endpoint.</exception>
    public static ForwardingCheckpoint Load(string logPath, Uri endpoint, string? path = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logPath);
        ArgumentNullException.ThrowIfNull(endpoint);
        logPath = System.IO.Path.GetFullPath(logPath);
        var location = path is null ? DefaultLocation(logPath, endpoint) : StateLocation.Given(path);
        if (location.Path is null) return new ForwardingCheckpoint(location, logPath, endpoint, null);
        path = location.Path;
        byte[]? content;
        try
        {
            // No link followed, no FIFO waited on, no device or huge file read (SidecarFile).
            content = SidecarFile.ReadAll(path, SidecarFile.StateLimit);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            content = null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException(path, $"The forwarding checkpoint '{path}' cannot be read: {error.Message}", error);
        }
        if (content is null) return new ForwardingCheckpoint(location, logPath, endpoint, null);
        var (savedLog, savedEndpoint, lastId) = Parse(path, content);
        // A file written before endpoints were stored redacted holds the whole URL: it is still this endpoint's, and the next save masks it.
        if (savedLog != logPath || (savedEndpoint != OtlpEndpoint.Redacted(endpoint) && savedEndpoint != endpoint.AbsoluteUri))
        {
            var shownSaved = Uri.TryCreate(savedEndpoint, UriKind.Absolute, out var saved) ? OtlpEndpoint.Redacted(saved) : OtlpEndpoint.Mask;
            throw new AuditLogException(path,
                $"The forwarding checkpoint '{path}' belongs to the log '{savedLog}' and the endpoint '{shownSaved}', not to '{logPath}' and '{OtlpEndpoint.Redacted(endpoint)}'. " +
                "Give another checkpoint file, or delete this one to forward the whole log again.");
        }
        return new ForwardingCheckpoint(location, logPath, endpoint, lastId);
    }

    /// <summary>
    /// Why the checkpoint cannot be trusted when it is at or past <paramref name="end"/>, the id the log's
    /// next event gets (<see cref="LogFollower.End"/>); null when it is before it. Such a checkpoint is left
    /// from a log deleted and begun again (or cut back by hand), whose events reuse ids the collector has
    /// acknowledged: sending from the checkpoint would skip them without a word, and sending from the
    /// start would make a receiver that deduplicates drop them. The user decides.
    /// </summary>
    public string? AheadOf(long end) => LastId is { } acknowledged && acknowledged >= end
        ? $"The checkpoint '{Path}' says the collector acknowledged the events up to id {LastId}, but the log '{LogPath}' ends at id {end}: " +
          "it was deleted and begun again, or cut back, since. Its events reuse ids the collector has seen, which a receiver that deduplicates by scout.id would drop. " +
          "Delete the checkpoint to send this log from its start, or give -CheckpointPath (and a new -ResourceAttribute to tell the logs apart) for a new one."
        : null;

    /// <summary>Moves the checkpoint to <paramref name="lastId"/> and saves it before returning (unless it is kept in memory only).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lastId"/> is not after <see cref="LastId"/>.</exception>
    /// <exception cref="AuditLogException">The file cannot be written; the checkpoint stays where it was.</exception>
    public void Advance(long lastId, DateTimeOffset at)
    {
        if (lastId < 0 || lastId <= LastId)
            throw new ArgumentOutOfRangeException(nameof(lastId), lastId, $"The checkpoint only moves forward, from {LastId?.ToString(CultureInfo.InvariantCulture) ?? "the start"}; an event id is not negative.");
        // A log whose directory was not there when the checkpoint was loaded: by now it is, and may be another user's.
        if (Location.Place == StatePlace.BesideLog && DefaultLocation(LogPath, Endpoint) is { Place: not StatePlace.BesideLog } moved) Location = moved;
        if (Path is null)
        {
            LastId = lastId;
            return;
        }
        try
        {
            AtomicFile.Replace(Path, Serialize(lastId, at));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException(Path, $"The forwarding checkpoint '{Path}' could not be saved ({error.Message}); the events after {LastId?.ToString(CultureInfo.InvariantCulture) ?? "the start"} will be sent again.", error);
        }
        LastId = lastId;
    }

    private byte[] Serialize(long lastId, DateTimeOffset at)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("log", LogPath);
            json.WriteString("endpoint", OtlpEndpoint.Redacted(Endpoint));
            json.WriteNumber("last_id", lastId);
            json.WriteString("at", UtcTimestamp.Format(at));
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static (string Log, string Endpoint, long LastId) Parse(string path, byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == Version
                && root.TryGetProperty("log", out var log) && log.ValueKind == JsonValueKind.String
                && root.TryGetProperty("endpoint", out var endpoint) && endpoint.ValueKind == JsonValueKind.String
                && root.TryGetProperty("last_id", out var lastId) && lastId.ValueKind == JsonValueKind.Number && lastId.TryGetInt64(out var id) && id >= 0)
                return (log.GetString()!, endpoint.GetString()!, id);
            throw Damaged(path, "it is not a version 1 checkpoint with 'log', 'endpoint' and a whole, non-negative 'last_id'", null);
        }
        catch (Exception error) when (error is JsonException or FormatException)
        {
            throw Damaged(path, "it is not valid JSON", error);
        }
    }

    private static AuditLogException Damaged(string path, string why, Exception? inner) =>
        new(path, $"The forwarding checkpoint '{path}' is damaged: {why}. It is not taken as 'nothing forwarded yet', which would send the whole log again; " +
            "delete the file to forward the whole log again (a collector that deduplicates on scout.log and scout.id drops the repeats).", inner);
}
