using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// OtlpForwarder sending the dataset's events in batches of 512 to an OTLP/HTTP receiver on
/// loopback in this process (it reads each body whole and acknowledges it), each round from an
/// empty checkpoint, in each encoding (http/protobuf, the default, and http/json), beside the
/// engine reading the same events without sending them: what encoding, HTTP and the checkpoint
/// cost on top of the read, and the bytes an event takes on the wire.
/// </summary>
internal static class ForwardWorkload
{
    private const string Target = "report events/s; the read alone is the floor";

    public static void EventsPerSecond(Bench bench, string dataset, Dataset data)
    {
        OtlpProtocol[] protocols = [OtlpProtocol.HttpProtobuf, OtlpProtocol.HttpJson];
        // One receiver per protocol, so that each counts the bytes of its own encoding.
        var receivers = protocols.Select(_ => new LoopbackReceiver()).ToArray();
        try
        {
            var checkpoint = Path.Combine(bench.NewDirectory("forward"), "checkpoint.json");
            var sent = new long[protocols.Length];
            Func<double> Forward(int i) => () =>
            {
                File.Delete(checkpoint);
                var clock = Stopwatch.StartNew();
                using var log = new AuditLog(dataset);
                using var forwarder = new OtlpForwarder(dataset, new OtlpForwarderOptions { Endpoint = receivers[i].Endpoint, CheckpointPath = checkpoint, Protocol = protocols[i] });
                sent[i] = forwarder.ForwardAll(log.Query(new EventFilter { After = forwarder.Checkpoint.LastId }), 512).Sent;
                return clock.Elapsed.TotalSeconds;
            };
            var samples = Sample.Interleaved(bench.Sizes.SlowRounds,
                Forward(0),
                Forward(1),
                () =>
                {
                    var clock = Stopwatch.StartNew();
                    using var log = new AuditLog(dataset);
                    var read = log.Query().Count();
                    if (read != data.Count) throw new InvalidOperationException($"read {read} of {data.Count} events");
                    return clock.Elapsed.TotalSeconds;
                });
            var floor = samples[^1];
            for (var i = 0; i < protocols.Length; i++)
            {
                if (sent[i] != data.Count) throw new InvalidOperationException($"the forwarder sent {sent[i]} of {data.Count} events in {protocols[i].Name()}");
                var ours = samples[i];
                var bytesPerEvent = receivers[i].Bytes / (double)bench.Sizes.SlowRounds / data.Count;
                bench.Report.Add(new Row(
                    $"Send-ScoutAuditEvent's forwarder, {protocols[i].Name()}: {data.Count:N0} events to a loopback OTLP/HTTP receiver, batches of 512",
                    $"{data.Count / ours.Median:N0} events/s ({ours.Format("s")}; {bytesPerEvent:N0} bytes an event on the wire)",
                    $"the engine reading the same events, no sending: {data.Count / floor.Median:N0} events/s ({floor.Format("s")})",
                    $"{floor.Median / ours.Median:P0} of the read rate",
                    Target,
                    null));
            }
        }
        finally
        {
            foreach (var receiver in receivers) receiver.Dispose();
        }
    }

    /// <summary>An OTLP/HTTP receiver that reads every request whole and answers <c>{}</c> (full success).</summary>
    private sealed class LoopbackReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;
        private long _bytes;

        public LoopbackReceiver()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Endpoint.ToString());
            _listener.Start();
            _serving = Task.Run(Serve);
        }

        public Uri Endpoint { get; }

        public long Bytes => Interlocked.Read(ref _bytes);

        private void Serve()
        {
            var answer = "{}"u8.ToArray();
            var buffer = new byte[64 * 1024];
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = _listener.GetContext();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                using (var body = context.Request.InputStream)
                {
                    int n;
                    while ((n = body.Read(buffer)) > 0) Interlocked.Add(ref _bytes, n);
                }
                context.Response.ContentType = "application/json";
                // With its length known the answer goes out in one write; chunked, HttpListener writes it in
                // two, and Nagle's algorithm against the client's delayed ACK held each answer ~40 ms
                // (11,000 events/s measured, against 62,000-86,000 with the length given).
                context.Response.ContentLength64 = answer.Length;
                context.Response.OutputStream.Write(answer);
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait();
        }
    }
}
