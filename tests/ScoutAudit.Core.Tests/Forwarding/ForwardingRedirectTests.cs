namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// A redirect is never followed: a 307/308 would carry the batch and its headers to another origin, and a
/// 301/302 would turn the POST into a GET whose 200 counts as delivered. Each is a refusal naming where it
/// pointed (without its secrets), with nothing counted as sent, the checkpoint unchanged, and no request
/// to the other origin.
/// </summary>
public sealed class ForwardingRedirectTests : IDisposable
{
    private readonly ForwardingTestLog _log = new(new TempFolder());
    private readonly LoopbackPeer _otherOrigin = new();

    public void Dispose()
    {
        _otherOrigin.Dispose();
        _log.Dispose();
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public void ARedirectIsARefusalNamingItsLocationAndNothingReachesTheOtherOrigin(int status)
    {
        _log.Write(0, 5);
        using var collector = new LoopbackPeer(status, new Uri(_otherOrigin.BaseUrl, "v1/logs?token=redirect-secret").AbsoluteUri);
        var endpoint = new Uri(collector.BaseUrl, "v1/logs");

        var error = Assert.Throws<ForwardingException>(() =>
            _log.ForwardAll(10, o => o with { Endpoint = endpoint, Headers = new Dictionary<string, string> { ["X-Api-Key"] = "key-that-must-stay-home" } }));

        Assert.Equal(status, error.StatusCode);
        Assert.Contains($"a redirect to 'http://127.0.0.1:{_otherOrigin.Port}/v1/logs?token=***', which is not followed", error.Message);
        Assert.DoesNotContain("redirect-secret", error.Message);
        Assert.Contains("the checkpoint is unchanged", error.Message);
        Assert.Empty(_otherOrigin.Requests);
        var request = Assert.Single(collector.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Null(ForwardingCheckpoint.Load(_log.Path, endpoint).LastId);
        Assert.Empty(_log.Notices); // refused once, not retried
    }

    [Fact]
    public void ARedirectWithARelativeLocationIsNamedAgainstTheEndpoint()
    {
        _log.Write(0, 1);
        using var collector = new LoopbackPeer(308, "/elsewhere/v1/logs");

        var error = Assert.Throws<ForwardingException>(() => _log.ForwardAll(10, o => o with { Endpoint = collector.BaseUrl }));

        Assert.Contains($"a redirect to 'http://127.0.0.1:{collector.Port}/elsewhere/v1/logs'", error.Message);
        Assert.Single(collector.Requests);
    }

    [Fact]
    public void AHandlerThatFollowsRedirectsIsRefused()
    {
        using var handler = new SocketsHttpHandler();

        var error = Assert.Throws<ArgumentException>(() => _log.Forwarder(o => o with { Handler = handler }));

        Assert.Contains("AllowAutoRedirect", error.Message);
    }

    /// <summary>A collector whose 200 never ends its body: the forwarder reads its start and takes the acknowledgement, within bounded memory and time.</summary>
    [Fact]
    public void AnAnswerWhoseBodyNeverEndsIsReadOnlyToItsLimit()
    {
        _log.Write(0, 3);
        using var collector = new LoopbackPeer(endlessAnswer: true);

        var summary = _log.ForwardAll(10, o => o with { Endpoint = collector.BaseUrl, RequestTimeout = TimeSpan.FromSeconds(30) });

        Assert.Equal(3, summary.Sent);
        Assert.Single(collector.Requests); // acknowledged at once: not timed out and sent again
    }
}
