using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// A forwarder process SIGKILLed while the collector holds back its acknowledgement, then started again:
/// every event arrives at least once, and the only repeats are the batch that was open at the kill.
/// </summary>
public sealed class ForwarderKillTests(ITestOutputHelper output) : IDisposable
{
    private const int BatchSize = 20;
    private readonly ForwardingTestLog _log = new(new TempFolder());

    public void Dispose() => _log.Dispose();

    /// <summary>tests/ScoutAudit.LoadWriter in its forward mode, as a separate OS process.</summary>
    private Process StartForwarder(OtlpProtocol protocol)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "ScoutAudit.LoadWriter.dll"), "forward", _log.Path,
                     _log.Receiver.BaseUrl.ToString(), BatchSize.ToString(CultureInfo.InvariantCulture), protocol.Name(),
                 })
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void AForwarderKilledMidBatchLosesNothingAndRepeatsOnlyTheOpenBatch(OtlpProtocol protocol)
    {
        _log.Write(0, 200, rotationSize: 4096);
        var ids = _log.Events().Select(e => e.Id!.Value).ToList();
        _log.Receiver.Script(ReceiverAnswer.Ok, ReceiverAnswer.Ok, ReceiverAnswer.Ok, ReceiverAnswer.Delayed(TimeSpan.FromSeconds(30)));

        using (var first = StartForwarder(protocol))
        {
            _log.Receiver.WaitForRequests(4, TimeSpan.FromSeconds(30));
            first.Kill(); // SIGKILL: no chance to save anything
            first.WaitForExit();
        }
        Assert.Equal(ids[3 * BatchSize - 1], _log.SavedCheckpoint());
        using (var second = StartForwarder(protocol))
        {
            Assert.True(second.WaitForExit(TimeSpan.FromSeconds(30)), "the restarted forwarder did not finish");
            Assert.True(second.ExitCode == 0, second.StandardError.ReadToEnd());
            Assert.EndsWith($"done {ids.Count - 3 * BatchSize}", second.StandardOutput.ReadToEnd().Trim());
        }

        var delivered = _log.Receiver.Accepted.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Count());
        var duplicated = delivered.Where(d => d.Value > 1).Select(d => d.Key).Order().ToList();
        var lost = ids.Where(id => !delivered.ContainsKey(id)).ToList();
        var openBatch = _log.Receiver.Requests[3].Records.Select(r => r.Id).ToList();
        Assert.All(_log.Receiver.Requests, r => Assert.Equal(protocol.ContentType(), r.ContentType));
        output.WriteLine($"{protocol.Name()}: events {ids.Count}, delivered {delivered.Count} ({delivered.Values.Sum()} records), duplicated {duplicated.Count}, lost {lost.Count}; batch size {BatchSize}");

        Assert.Empty(lost);
        Assert.Equal(ids, delivered.Keys.Order());
        Assert.InRange(duplicated.Count, 1, BatchSize);
        Assert.Equal(openBatch, duplicated);
        Assert.Equal(ids[^1], _log.SavedCheckpoint());
    }
}
