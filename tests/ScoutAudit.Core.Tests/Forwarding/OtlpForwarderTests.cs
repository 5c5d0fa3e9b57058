using System.Globalization;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// At least once against a real loopback receiver: every event arrives, in log order; a collector that is
/// down, refuses connections, drops them or is slow is retried with growing backoff and its Retry-After;
/// a partial success is reported and not retried; a refusal (400) stops with the collector's message; the
/// checkpoint moves only when a batch is acknowledged.
/// </summary>
public sealed class OtlpForwarderTests : IDisposable
{
    private readonly ForwardingTestLog _log = new(new TempFolder());

    public void Dispose() => _log.Dispose();

    private List<long> AcceptedIds => [.. _log.Receiver.Accepted.Select(r => r.Id)];

    private List<long> LogIds(long? after = null) => [.. _log.Events(after).Select(e => e.Id!.Value)];

    private List<ForwardingNotice> Retries => [.. _log.Notices.Where(n => n.Kind == ForwardingNoticeKind.Retry)];

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void EveryEventOfARotatedLogIsDeliveredOnceInOrderAndTheCheckpointIsTheLastId(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        _log.Write(0, 300, rotationSize: 4096);
        Assert.True(Directory.GetFiles(Path.GetDirectoryName(_log.Path)!, "*.jsonl.gz").Length >= 3);

        var summary = _log.ForwardAll(25);

        var ids = LogIds();
        Assert.Equal(300, ids.Count);
        Assert.Equal(ids, AcceptedIds);
        Assert.Equal(new ForwardingSummary(300, 0, 12, ids[^1]), summary);
        Assert.Equal(ids[^1], _log.SavedCheckpoint());
        Assert.All(_log.Receiver.Requests, r => Assert.Equal(25, r.Records.Count));

        _log.Write(300, 7);
        var again = _log.ForwardAll(25);

        Assert.Equal(new ForwardingSummary(7, 0, 1, LogIds()[^1]), again);
        Assert.Equal(LogIds(), AcceptedIds);
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void WithGzipTheSameRecordsArriveInAFractionOfTheBytesAndARetrySendsTheSameBody(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        _log.Write(0, 200);
        _log.Receiver.Script(ReceiverAnswer.Unavailable());

        var summary = _log.ForwardAll(100, options => options with { Compression = OtlpCompression.Gzip });

        Assert.Equal(LogIds(), AcceptedIds);
        Assert.Equal(200, summary.Sent);
        var requests = _log.Receiver.Requests;
        Assert.Equal(3, requests.Count); // the first batch refused once, then both delivered
        Assert.All(requests, r => Assert.Equal("gzip", r.Headers["Content-Encoding"]));
        Assert.All(requests, r => Assert.True(r.WireBytes * 4 < r.BodyBytes, $"{r.WireBytes} bytes on the wire for a body of {r.BodyBytes}"));
        Assert.Equal(requests[0].RawBody, requests[1].RawBody);
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void ACollectorThatIsUnavailableIsRetriedWithGrowingBackoffAndItsRetryAfterExactly(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        _log.Write(0, 20);
        _log.Receiver.Script(ReceiverAnswer.Unavailable(), ReceiverAnswer.Unavailable(), ReceiverAnswer.TooManyRequests(), ReceiverAnswer.Unavailable(),
            ReceiverAnswer.TooManyRequests(retryAfter: "7"), ReceiverAnswer.Unavailable(), ReceiverAnswer.Unavailable());

        var summary = _log.ForwardAll(10);

        Assert.Equal(LogIds(), AcceptedIds);
        Assert.Equal(2, summary.Batches);
        var waits = _log.Clock.Waits;
        Assert.Equal(waits, Retries.Select(n => n.Delay!.Value));
        Assert.Equal([503, 503, 429, 503, 429, 503, 503], Retries.Select(n => n.StatusCode!.Value));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], Retries.Select(n => n.Attempt));
        // Backoff 100 ms doubling to the 1 s cap, each wait between half and all of it; then Retry-After exactly.
        double[] backoffs = [100, 200, 400, 800];
        for (var i = 0; i < 4; i++) Assert.InRange(waits[i].TotalMilliseconds, backoffs[i] / 2, backoffs[i]);
        Assert.True(waits[0] <= waits[1] && waits[1] <= waits[2] && waits[2] <= waits[3], string.Join(", ", waits));
        Assert.Equal(TimeSpan.FromSeconds(7), waits[4]);
        Assert.InRange(waits[5].TotalMilliseconds, 500, 1000);
        Assert.InRange(waits[6].TotalMilliseconds, 500, 1000);
        Assert.Equal(LogIds()[^1], _log.SavedCheckpoint());
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void ARetryAfterDateIsWaitedForUntilThatTime(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        _log.Write(0, 3);
        _log.Receiver.Script(ReceiverAnswer.Unavailable(retryAfter: _log.Clock.GetUtcNow().AddSeconds(90).ToString("R", CultureInfo.InvariantCulture)));

        _log.ForwardAll(10);

        Assert.Equal([TimeSpan.FromSeconds(90)], _log.Clock.Waits);
        Assert.Equal(LogIds(), AcceptedIds);
    }

    [Fact]
    public void ACollectorThatRefusesConnectionsAtFirstGetsEveryEventOnceItListens()
    {
        _log.Write(0, 20);
        var port = OtlpReceiver.FreePort();
        OtlpReceiver? late = null;
        _log.Clock.AfterWait = waits =>
        {
            if (waits == 3) late = new OtlpReceiver(port);
        };
        try
        {
            var summary = _log.ForwardAll(10, o => o with { Endpoint = new Uri($"http://127.0.0.1:{port}") });

            Assert.Equal(new ForwardingSummary(20, 0, 2, LogIds()[^1]), summary);
            Assert.Equal(LogIds(), late!.Accepted.Select(r => r.Id));
            Assert.Equal(3, Retries.Count);
            Assert.All(Retries, n => Assert.Null(n.StatusCode));
            Assert.True(_log.Clock.Waits[0] <= _log.Clock.Waits[1] && _log.Clock.Waits[1] <= _log.Clock.Waits[2], string.Join(", ", _log.Clock.Waits));
        }
        finally
        {
            late?.Dispose();
        }
    }

    [Fact]
    public void ADroppedConnectionIsRetried()
    {
        _log.Write(0, 5);
        _log.Receiver.Script(ReceiverAnswer.Dropped);

        _log.ForwardAll(10);

        Assert.Equal(2, _log.Receiver.Requests.Count);
        Assert.Equal(LogIds(), AcceptedIds);
        Assert.Single(Retries);
    }

    [Fact]
    public void ARequestWithoutAnAnswerInTimeIsSentAgainAndOnlyItsEventsMayArriveTwice()
    {
        _log.Write(0, 30);
        _log.Receiver.Script(ReceiverAnswer.Ok, ReceiverAnswer.Delayed(TimeSpan.FromSeconds(10)));

        _log.ForwardAll(10, o => o with { RequestTimeout = TimeSpan.FromSeconds(2) });

        var requests = _log.Receiver.Requests;
        Assert.Equal(4, requests.Count);
        Assert.Equal(requests[1].Records.Select(r => r.Id), requests[2].Records.Select(r => r.Id));
        Assert.Equal(LogIds(), AcceptedIds.Distinct());
        Assert.Contains("no answer within", Assert.Single(Retries).Message);
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void APartialSuccessIsReportedNotRetriedAndTheCheckpointMoves(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        _log.Write(0, 10);
        _log.Receiver.Script(ReceiverAnswer.PartialSuccess(3, "3 records had an attribute value too long"));

        var summary = _log.ForwardAll(10);

        Assert.Single(_log.Receiver.Requests);
        Assert.Equal(new ForwardingSummary(10, 3, 1, LogIds()[^1]), summary);
        var notice = Assert.Single(_log.Notices);
        Assert.Equal((ForwardingNoticeKind.PartialSuccess, 3L), (notice.Kind, notice.RejectedRecords));
        Assert.Contains("attribute value too long", notice.Message);
        Assert.Equal(LogIds()[^1], _log.SavedCheckpoint());
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void ABadRequestStopsWithTheCollectorsMessageAndALaterRunSendsThatBatchAgain(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        _log.Write(0, 30);
        _log.Receiver.Script(ReceiverAnswer.Ok, ReceiverAnswer.BadRequest("logRecords[3]: unknown field"));
        var ids = LogIds();

        var error = Assert.Throws<ForwardingException>(() => _log.ForwardAll(10));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("logRecords[3]: unknown field", error.CollectorMessage);
        Assert.Contains("400", error.Message);
        Assert.Contains(_log.Receiver.BaseUrl + "v1/logs", error.Message);
        Assert.Contains("logRecords[3]: unknown field", error.Message);
        Assert.Equal(2, _log.Receiver.Requests.Count);
        Assert.Empty(Retries);
        Assert.Equal(ids[9], _log.SavedCheckpoint());

        var summary = _log.ForwardAll(10);

        Assert.Equal(new ForwardingSummary(20, 0, 2, ids[^1]), summary);
        Assert.Equal(ids[10..20], _log.Receiver.Requests[2].Records.Select(r => r.Id));
        Assert.Equal(ids, AcceptedIds);
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void ARefusalInPlainTextIsReadAsTextWhateverTheRequestsEncoding(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        _log.Write(0, 3);
        // A proxy in front of the collector answers for it, in text/plain (or, for http/json, its text labelled JSON).
        _log.Receiver.Script(new ReceiverAnswer(403, "blocked by the egress policy"));

        var error = Assert.Throws<ForwardingException>(() => _log.ForwardAll(10));

        Assert.Equal((403, "blocked by the egress policy"), (error.StatusCode, error.CollectorMessage));
        Assert.Null(_log.SavedCheckpoint());
    }

    [Fact]
    public void RetryingLongerThanAllowedFailsWithTheLastAnswerAndLeavesTheCheckpoint()
    {
        _log.Write(0, 5);
        _log.Receiver.Script([.. Enumerable.Repeat(ReceiverAnswer.Unavailable(), 50)]);

        var error = Assert.Throws<ForwardingException>(() => _log.ForwardAll(10, o => o with { GiveUpAfter = TimeSpan.FromSeconds(5) }));

        Assert.Equal(503, error.StatusCode);
        Assert.Contains("within 00:00:05", error.Message);
        Assert.True(_log.Clock.Waits.Aggregate(TimeSpan.Zero, (a, b) => a + b) <= TimeSpan.FromSeconds(5));
        Assert.Null(_log.SavedCheckpoint());
        Assert.False(File.Exists(ForwardingCheckpoint.DefaultPath(_log.Path, _log.Options().ResolveEndpoint())));
    }

    [Fact]
    public void CancellationStopsAWaitAtOnceAndLeavesTheCheckpoint()
    {
        _log.Write(0, 5);
        _log.Receiver.Script(ReceiverAnswer.Unavailable(retryAfter: "3600"));
        using var cancel = new CancellationTokenSource();
        using var forwarder = _log.Forwarder(o => o with { TimeProvider = TimeProvider.System, Notify = _ => cancel.CancelAfter(100) });
        var started = DateTime.UtcNow;

        Assert.ThrowsAny<OperationCanceledException>(() => forwarder.Deliver(_log.Events(), cancel.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Null(forwarder.Checkpoint.LastId);
        Assert.Null(_log.SavedCheckpoint());
    }

    [Fact]
    public void EventsAtOrBeforeTheCheckpointAreRefusedByDeliverAndSkippedByForwardAll()
    {
        _log.Write(0, 10);
        _log.ForwardAll(4);
        var all = _log.Events();
        using var forwarder = _log.Forwarder();

        var error = Assert.Throws<ArgumentException>(() => forwarder.Deliver(all[5..]));
        Assert.Contains("at or before the checkpoint", error.Message);
        Assert.Throws<ArgumentException>(() => forwarder.Deliver([new LogEvent("nav")]));
        var summary = forwarder.ForwardAll(all.Concat(all), 4);

        Assert.Equal(0, summary.Sent);
        Assert.Equal(LogIds(), AcceptedIds);
    }
}
