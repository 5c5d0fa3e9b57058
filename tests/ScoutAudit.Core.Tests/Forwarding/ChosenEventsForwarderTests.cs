namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// Events chosen from a log go through the batching loop a log's history goes through, but as they
/// are: exactly those, in their order, those the checkpoint covers included, and the checkpoint is
/// neither moved nor written. Send-ScoutAuditEvent's help promises it (a selection is not the
/// history up to a point); ForwardAll's skip of ids at or before the checkpoint is not theirs.
/// </summary>
public sealed class ChosenEventsForwarderTests : IDisposable
{
    private readonly ForwardingTestLog _log = new(new TempFolder());

    public void Dispose() => _log.Dispose();

    private ChosenEventsForwarder Chosen(int batchSize) => new(_log.Path, _log.Options(), batchSize);

    [Fact]
    public void EventsAtOrBeforeTheCheckpointAreSentAgainAndTheCheckpointStaysWhereItWas()
    {
        _log.Write(0, 6);
        _log.ForwardAll(10);
        var saved = _log.SavedCheckpoint();
        var chosen = _log.Events().Where(e => e.Id!.Value % 2 == 0).ToList();

        using (var forwarder = Chosen(2))
        {
            foreach (var e in chosen) forwarder.Add(e);
            forwarder.Flush();
            Assert.Equal(new ForwardingSummary(3, 0, 2, null), forwarder.Total);
        }

        Assert.Equal(saved, _log.SavedCheckpoint());
        Assert.Equal([.. _log.Events().Select(e => e.Id!.Value), .. chosen.Select(e => e.Id!.Value)], _log.Receiver.Accepted.Select(r => r.Id));
    }

    [Fact]
    public void EventsAreSentInTheOrderGivenEvenWhenTheirIdsGoBack()
    {
        _log.Write(0, 4);
        var reversed = Enumerable.Reverse(_log.Events()).ToList();

        using var forwarder = Chosen(3);
        foreach (var e in reversed) forwarder.Add(e);
        forwarder.Flush();

        Assert.Equal(reversed.Select(e => e.Id!.Value), _log.Receiver.Accepted.Select(r => r.Id));
        Assert.Equal([3, 1], _log.Receiver.Requests.Select(r => r.Records.Count));
    }

    [Fact]
    public void ADeclinedBatchIsNeitherSentNorCountedAndReadsNoCheckpoint()
    {
        _log.Write(0, 3);
        File.WriteAllText(ForwardingCheckpoint.DefaultPath(_log.Path, _log.Options().ResolveEndpoint()), "not json");
        var asked = new List<int>();

        using var forwarder = new ChosenEventsForwarder(_log.Path, _log.Options(), 2) { Approve = batch => { asked.Add(batch.Count); return false; } };
        foreach (var e in _log.Events()) forwarder.Add(e);
        forwarder.Flush();

        Assert.Equal([2, 1], asked);
        Assert.False(forwarder.Approved);
        Assert.Equal(new ForwardingSummary(0, 0, 0, null), forwarder.Total);
        Assert.Empty(_log.Receiver.Requests);
    }

    [Fact]
    public void ADamagedCheckpointIsAnErrorAtTheFirstBatchApproved()
    {
        _log.Write(0, 1);
        File.WriteAllText(ForwardingCheckpoint.DefaultPath(_log.Path, _log.Options().ResolveEndpoint()), "not json");

        using var forwarder = Chosen(5);
        forwarder.Add(_log.Events()[0]);

        Assert.Throws<AuditLogException>(forwarder.Flush);
        Assert.Empty(_log.Receiver.Requests);
    }
}
