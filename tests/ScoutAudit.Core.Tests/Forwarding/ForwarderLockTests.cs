namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// One forwarder per log and endpoint at a time: the second is refused at once, told which process holds
/// the lock beside the checkpoint, and sends nothing; another endpoint, or sending chosen events without
/// the checkpoint, is not held up.
/// </summary>
public sealed class ForwarderLockTests : IDisposable
{
    private readonly ForwardingTestLog _log = new(new TempFolder());

    public void Dispose() => _log.Dispose();

    [Fact]
    public void ASecondForwarderOfTheSameLogAndEndpointIsRefusedNamingTheProcessThatHoldsIt()
    {
        _log.Write(0, 3);
        using var first = _log.Forwarder();

        var error = Assert.Throws<ForwarderRunningException>(() => _log.ForwardAll(10));

        var lockPath = ForwardingCheckpoint.DefaultPath(_log.Path, _log.Options().ResolveEndpoint()) + ".lock";
        Assert.Equal(lockPath, error.LockPath);
        Assert.Contains($"Another forwarder is sending the log '{_log.Path}' to 'http://127.0.0.1:{_log.Receiver.Port}/v1/logs'", error.Message);
        if (OperatingSystem.IsLinux()) Assert.Contains($"process {Environment.ProcessId} (", error.Message);
        Assert.Empty(_log.Receiver.Requests);
    }

    [Fact]
    public void AForwarderStartedBeforeItsLogsFolderExistedTakesTheLockAtItsFirstDelivery()
    {
        using var folder = new TempFolder();
        var path = folder.File("later", "audit.jsonl");
        var options = _log.Options();
        using var early = new OtlpForwarder(path, options); // nothing to lock yet: the folder is not there
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var log = new AuditLog(path)) log.Append(ForwardingTestLog.Numbered(1));
        using var log2 = new AuditLog(path);
        var events = log2.Query(new EventFilter()).ToList();

        using (var running = new OtlpForwarder(path, options))
        {
            Assert.Throws<ForwarderRunningException>(() => early.Deliver(events));
            Assert.Empty(_log.Receiver.Requests);
        }

        Assert.Equal(1, early.Deliver(events).Sent);
    }

    [Fact]
    public void WhenTheFirstForwarderEndsTheNextOneRuns()
    {
        _log.Write(0, 3);
        _log.Forwarder().Dispose();

        Assert.Equal(3, _log.ForwardAll(10).Sent);
    }

    [Fact]
    public void AnotherEndpointOrChosenEventsAreNotHeldUp()
    {
        _log.Write(0, 3);
        using var other = new OtlpReceiver();
        using var first = _log.Forwarder();

        using (var toOther = _log.Forwarder(o => o with { Endpoint = other.BaseUrl })) Assert.NotNull(toOther.Checkpoint);
        using var chosen = OtlpForwarder.WithoutCheckpoint(_log.Path, _log.Options());
        var summary = chosen.Send([.. _log.Events().Skip(1)]);

        Assert.Equal(2, summary.Sent);
        Assert.Null(summary.LastId);
        Assert.Null(_log.SavedCheckpoint());
        Assert.Equal(_log.Events().Skip(1).Select(e => e.Id!.Value), _log.Receiver.Accepted.Select(r => r.Id));
    }
}
