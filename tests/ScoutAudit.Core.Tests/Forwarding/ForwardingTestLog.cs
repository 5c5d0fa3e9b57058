using System.Text.Json;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>A log in a fresh folder, a receiver, and forwarders to it with short backoffs on an <see cref="InstantWaits"/> clock.</summary>
public sealed class ForwardingTestLog : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder;

    public ForwardingTestLog(TempFolder folder, OtlpReceiver? receiver = null)
    {
        _folder = folder;
        Path = folder.File("audit.jsonl");
        Receiver = receiver ?? new OtlpReceiver();
    }

    public string Path { get; }

    public OtlpReceiver Receiver { get; }

    public InstantWaits Clock { get; } = new();

    /// <summary>The encoding the forwarders send in; a test over both sets it first.</summary>
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.HttpProtobuf;

    /// <summary>Both encodings, for a theory's MemberData.</summary>
    public static TheoryData<OtlpProtocol> Protocols => new(OtlpProtocol.HttpProtobuf, OtlpProtocol.HttpJson);

    public List<ForwardingNotice> Notices { get; } = [];

    public static LogEvent Numbered(int n) => new("nav", Start.AddSeconds(n), "s") { InputTokens = n, Reason = "padding to make lines of a realistic length" };

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    /// <summary>Appends events numbered <paramref name="from"/> on; a rotation size makes archives.</summary>
    public void Write(int from, int count, long? rotationSize = null)
    {
        using var log = new AuditLog(Path, new AuditLogOptions { RotationSize = rotationSize });
        for (var n = from; n < from + count; n++) log.Append(Numbered(n));
    }

    public List<LogEvent> Events(long? after = null)
    {
        using var log = new AuditLog(Path);
        return [.. log.Query(new EventFilter { After = after })];
    }

    public OtlpForwarderOptions Options(Func<OtlpForwarderOptions, OtlpForwarderOptions>? change = null)
    {
        var options = new OtlpForwarderOptions
        {
            Endpoint = Receiver.BaseUrl,
            Protocol = Protocol,
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(1),
            RequestTimeout = TimeSpan.FromSeconds(5),
            TimeProvider = Clock,
            Notify = notice =>
            {
                lock (Notices) Notices.Add(notice);
            },
        };
        return change is null ? options : change(options);
    }

    public OtlpForwarder Forwarder(Func<OtlpForwarderOptions, OtlpForwarderOptions>? change = null) => new(Path, Options(change));

    /// <summary>Forwards every event after the checkpoint, as the cmdlet does.</summary>
    public ForwardingSummary ForwardAll(int batchSize, Func<OtlpForwarderOptions, OtlpForwarderOptions>? change = null)
    {
        using var forwarder = Forwarder(change);
        using var log = new AuditLog(Path);
        return forwarder.ForwardAll(log.Query(new EventFilter { After = forwarder.Checkpoint.LastId }), batchSize);
    }

    /// <summary>The checkpoint as saved on disk.</summary>
    public long? SavedCheckpoint() => ForwardingCheckpoint.Load(Path, Options().ResolveEndpoint()).LastId;

    public void Dispose()
    {
        Receiver.Dispose();
        _folder.Dispose();
    }
}
