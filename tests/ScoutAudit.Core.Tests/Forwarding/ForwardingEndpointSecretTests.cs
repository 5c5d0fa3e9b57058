using System.Text;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// An endpoint is shown without its secrets: user information is refused before anything is sent, the
/// query's values are masked in every message, notice and the checkpoint file, and a collector that
/// echoes a header's value does not get it into a message.
/// </summary>
public sealed class ForwardingEndpointSecretTests : IDisposable
{
    private const string QuerySecret = "query-s3cret";
    private const string HeaderSecret = "header-s3cret";
    private readonly ForwardingTestLog _log = new(new TempFolder());

    public void Dispose() => _log.Dispose();

    private Uri WithQuery => new(_log.Receiver.BaseUrl, $"v1/logs?api_key={QuerySecret}&tenant=acme-corp");

    [Fact]
    public void AnEndpointWithAUserAndPasswordIsRefusedWithoutShowingThem()
    {
        var endpoint = new Uri($"http://scout:pa55w0rd@127.0.0.1:{_log.Receiver.Port}/");

        var error = Assert.Throws<ArgumentException>(() => _log.Forwarder(o => o with { Endpoint = endpoint }));

        Assert.Contains($"The endpoint 'http://127.0.0.1:{_log.Receiver.Port}/' has a user name or password in it", error.Message);
        Assert.Contains("-Header", error.Message);
        Assert.DoesNotContain("pa55w0rd", error.Message);
        Assert.DoesNotContain("scout:", error.Message);
        Assert.Empty(_log.Receiver.Requests);
    }

    [Fact]
    public void NoSecretOfTheEndpointOrHeadersReachesAMessageOrTheCheckpointFile()
    {
        _log.Write(0, 4);
        _log.Receiver.Script(ReceiverAnswer.Unavailable(), ReceiverAnswer.Ok, ReceiverAnswer.BadRequest($"no such key {QuerySecret}, token Bearer {HeaderSecret}"));
        var options = (OtlpForwarderOptions o) => o with { Endpoint = WithQuery, Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + HeaderSecret } };

        var error = Assert.Throws<ForwardingException>(() => _log.ForwardAll(2, options));

        var shown = $"http://127.0.0.1:{_log.Receiver.Port}/v1/logs?api_key=***&tenant=***";
        Assert.Contains($"The collector at '{shown}' refused events", error.Message);
        Assert.Contains("400 Bad Request: no such key ***, token ***.", error.Message);
        Assert.Equal(shown, error.Endpoint.ToString());
        var retry = Assert.Single(_log.Notices);
        Assert.Contains($"to '{shown}' failed", retry.Message);
        var checkpoint = ForwardingCheckpoint.DefaultPath(_log.Path, WithQuery);
        var saved = File.ReadAllText(checkpoint, Encoding.UTF8);
        Assert.Equal(shown, ForwardingTestLog.Json(saved).GetProperty("endpoint").GetString());
        foreach (var text in new[] { error.Message, retry.Message, saved })
        {
            Assert.DoesNotContain(QuerySecret, text);
            Assert.DoesNotContain(HeaderSecret, text);
            Assert.DoesNotContain("acme-corp", text);
        }
        Assert.DoesNotContain(HeaderSecret, File.ReadAllText(_log.Path)); // nor, of course, the log
        // The masked checkpoint is still this endpoint's: the next run resumes after the first batch.
        Assert.Equal(_log.Events()[1].Id, ForwardingCheckpoint.Load(_log.Path, WithQuery).LastId);
    }

    [Fact]
    public void ACheckpointThatHoldsTheWholeUrlFromBeforeIsStillTheEndpointsAndIsSavedMasked()
    {
        _log.Write(0, 3);
        var ids = _log.Events().Select(e => e.Id!.Value).ToList();
        var path = ForwardingCheckpoint.DefaultPath(_log.Path, WithQuery);
        File.WriteAllText(path, $"{{\"version\":1,\"log\":\"{_log.Path}\",\"endpoint\":\"{WithQuery.AbsoluteUri}\",\"last_id\":{ids[0]},\"at\":\"2026-01-01T00:00:00.000Z\"}}\n");

        var summary = _log.ForwardAll(10, o => o with { Endpoint = WithQuery });

        Assert.Equal(2, summary.Sent);
        Assert.DoesNotContain(QuerySecret, File.ReadAllText(path));
    }

    [Theory]
    [InlineData("http://collector.example.com:4318/", true)]
    [InlineData("http://10.0.0.7:4318/", true)]
    [InlineData("https://collector.example.com:4318/", false)]
    [InlineData("http://127.0.0.1:4318/", false)]
    [InlineData("http://localhost:4318/", false)]
    [InlineData("http://[::1]:4318/", false)]
    public void PlainHttpToAnotherHostIsCleartext(string endpoint, bool cleartext) =>
        Assert.Equal(cleartext, OtlpEndpoint.IsCleartextRemote(new Uri(endpoint)));

    [Theory]
    [InlineData("https://c.example/v1/logs", "https://c.example/v1/logs")]
    [InlineData("https://c.example:4318/otlp/v1/logs?api_key=abc&x=1", "https://c.example:4318/otlp/v1/logs?api_key=***&x=***")]
    [InlineData("https://c.example/v1/logs?bare-token", "https://c.example/v1/logs?***")]
    [InlineData("https://u:p@c.example/v1/logs#frag", "https://c.example/v1/logs")]
    public void TheShownEndpointMasksTheQueryAndLeavesOutUserAndFragment(string endpoint, string shown) =>
        Assert.Equal(shown, OtlpEndpoint.Redacted(new Uri(endpoint)));
}
