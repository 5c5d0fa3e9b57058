using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// How far a log has been forwarded to one endpoint: the <see cref="AuditEvent.Id"/> of the last event
/// the collector acknowledged. Forwarding resumes with the events after it
/// (<see cref="EventFilter.After"/>), so a forwarder stopped at any point sends again at most the
/// batch it had open.
/// <para>
/// The file (by default <see cref="DefaultPath"/>, beside the log) is one small JSON object,
/// replaced as a whole (temporary file, sync, rename) each time the checkpoint moves:
/// <c>{"version":1,"log":"/var/log/audit.jsonl","endpoint":"https://otel:4318/v1/logs","last_id":12345,"at":"2026-02-13T14:30:22.123Z"}</c>.
/// A missing file means nothing was forwarded yet. A damaged file, or one that belongs to another
/// log or endpoint, is an error rather than a fresh start, which would send the whole log again;
/// deleting the file is how to start over.
/// </para>
/// <para>One forwarder per log and endpoint at a time: a second one sends duplicates, and the file holds whichever saved last.</para>
/// </summary>
public sealed class ForwardingCheckpoint
{
    private const int Version = 1;

    private ForwardingCheckpoint(string path, string logPath, Uri endpoint, long? lastId)
    {
        Path = path;
        LogPath = logPath;
        Endpoint = endpoint;
        LastId = lastId;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>The log's full path.</summary>
    public string LogPath { get; }

    /// <summary>The endpoint the events go to (the full URL requests are posted to).</summary>
    public Uri Endpoint { get; }

    /// <summary>The id of the last event acknowledged by the endpoint; null when none was (forwarding starts at the beginning of the log).</summary>
    public long? LastId { get; private set; }

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
    /// Reads the checkpoint of <paramref name="logPath"/> and <paramref name="endpoint"/> from
    /// <paramref name="path"/> (null: <see cref="DefaultPath"/>). A missing file is a checkpoint with no
    /// <see cref="LastId"/>.
    /// </summary>
    /// <exception cref="AuditLogException">The file cannot be read, is damaged, or belongs to another log or endpoint.</exception>
    public static ForwardingCheckpoint Load(string logPath, Uri endpoint, string? path = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logPath);
        ArgumentNullException.ThrowIfNull(endpoint);
        logPath = System.IO.Path.GetFullPath(logPath);
        path = System.IO.Path.GetFullPath(path ?? DefaultPath(logPath, endpoint));
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return new ForwardingCheckpoint(path, logPath, endpoint, null);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException(path, $"The forwarding checkpoint '{path}' cannot be read: {error.Message}", error);
        }
        var (savedLog, savedEndpoint, lastId) = Parse(path, content);
        if (savedLog != logPath || savedEndpoint != endpoint.AbsoluteUri)
        {
            throw new AuditLogException(path,
                $"The forwarding checkpoint '{path}' belongs to the log '{savedLog}' and the endpoint '{savedEndpoint}', not to '{logPath}' and '{endpoint.AbsoluteUri}'. " +
                "Give another checkpoint file, or delete this one to forward the whole log again.");
        }
        return new ForwardingCheckpoint(path, logPath, endpoint, lastId);
    }

    /// <summary>Moves the checkpoint to <paramref name="lastId"/> and saves it before returning.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lastId"/> is not after <see cref="LastId"/>.</exception>
    /// <exception cref="AuditLogException">The file cannot be written; the checkpoint stays where it was.</exception>
    public void Advance(long lastId, DateTimeOffset at)
    {
        if (lastId < 0 || lastId <= LastId)
            throw new ArgumentOutOfRangeException(nameof(lastId), lastId, $"The checkpoint only moves forward, from {LastId?.ToString(CultureInfo.InvariantCulture) ?? "the start"}; an event id is not negative.");
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
            json.WriteString("endpoint", Endpoint.AbsoluteUri);
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
