namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// The checkpoint lives beside the log, one per endpoint; a missing file means nothing was forwarded, a
/// damaged or foreign one is an error that says how to start over, never a silent restart from zero.
/// </summary>
public sealed class ForwardingCheckpointTests : IDisposable
{
    private static readonly Uri Endpoint = new("http://collector:4318/v1/logs");
    private static readonly DateTimeOffset At = new(2026, 2, 13, 14, 30, 22, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly string _log;

    public ForwardingCheckpointTests() => _log = _folder.File("audit.jsonl");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void TheDefaultFileIsBesideTheLogOnePerEndpoint()
    {
        var path = ForwardingCheckpoint.DefaultPath(_log, Endpoint);

        Assert.Matches(@"^audit\.jsonl\.forward-[0-9a-f]{8}\.json$", Path.GetFileName(path));
        Assert.Equal(_folder.FullPath, Path.GetDirectoryName(path));
        Assert.Equal(path, ForwardingCheckpoint.DefaultPath(_log, new Uri("http://collector:4318/v1/logs")));
        Assert.NotEqual(path, ForwardingCheckpoint.DefaultPath(_log, new Uri("http://other:4318/v1/logs")));
    }

    [Fact]
    public void AMissingFileIsNoCheckpointAndAnAdvanceIsReadBack()
    {
        var checkpoint = ForwardingCheckpoint.Load(_log, Endpoint);
        Assert.Null(checkpoint.LastId);

        checkpoint.Advance(0, At);
        checkpoint.Advance(4321, At);

        Assert.Equal(4321, ForwardingCheckpoint.Load(_log, Endpoint).LastId);
        Assert.Equal([Path.GetFileName(checkpoint.Path)], Directory.GetFiles(_folder.FullPath).Select(Path.GetFileName));
        Assert.Throws<ArgumentOutOfRangeException>(() => checkpoint.Advance(4321, At));
    }

    [Fact]
    public void AGivenPathIsUsed()
    {
        var path = _folder.File("state", "fwd.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        ForwardingCheckpoint.Load(_log, Endpoint, path).Advance(7, At);

        Assert.Equal(7, ForwardingCheckpoint.Load(_log, Endpoint, path).LastId);
        Assert.Null(ForwardingCheckpoint.Load(_log, Endpoint).LastId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"version\":1,\"log\":\"x\",\"endp")]
    [InlineData("{\"version\":1,\"endpoint\":\"http://collector:4318/v1/logs\",\"last_id\":-3}")]
    [InlineData("[1, 2]")]
    public void ADamagedFileIsAnErrorThatSaysHowToStartOver(string content)
    {
        var path = ForwardingCheckpoint.DefaultPath(_log, Endpoint);
        File.WriteAllText(path, content);

        var error = Assert.Throws<AuditLogException>(() => ForwardingCheckpoint.Load(_log, Endpoint));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        Assert.Contains("damaged", error.Message);
        Assert.Contains("delete the file", error.Message);
    }

    [Fact]
    public void AnotherLogsCheckpointIsRefused()
    {
        var path = _folder.File("shared.json");
        ForwardingCheckpoint.Load(_folder.File("other.jsonl"), Endpoint, path).Advance(99, At);

        var error = Assert.Throws<AuditLogException>(() => ForwardingCheckpoint.Load(_log, Endpoint, path));

        Assert.Contains("other.jsonl", error.Message);
        Assert.Contains("delete this one", error.Message);
    }

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/logs")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/logs")]
    [InlineData("https://gateway/otlp/v1/logs", "https://gateway/otlp/v1/logs")]
    [InlineData("https://gateway/custom", "https://gateway/custom")]
    public void ABaseUrlGetsTheLogsPathAndAnyOtherIsUsedAsItIs(string given, string used)
    {
        Assert.Equal(new Uri(used), new OtlpForwarderOptions { Endpoint = new Uri(given) }.ResolveEndpoint());
    }
}
