using System.Globalization;
using ScoutAudit.Core;

/// <summary>
/// <c>ScoutAudit.LoadWriter forward &lt;log path&gt; &lt;endpoint&gt; &lt;batch size&gt; [http/protobuf|http/json]</c>: forwards the log's events
/// after its checkpoint to an OTLP/HTTP endpoint, with short backoffs, printing "batch &lt;last id&gt;" after each
/// acknowledged batch and "done &lt;sent&gt;" at the end; a parent kills it mid-batch to test at-least-once delivery.
/// </summary>
internal static class ForwardMode
{
    public static int Run(string[] args)
    {
        var path = args[0];
        var options = new OtlpForwarderOptions
        {
            Endpoint = new Uri(args[1]),
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            Protocol = args.Length > 3 ? OtlpProtocols.Parse(args[3], "the protocol argument") : OtlpProtocol.HttpProtobuf,
        };
        var batchSize = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var log = new AuditLog(path);
        using var forwarder = new OtlpForwarder(path, options);
        var sent = 0L;
        foreach (var batch in log.Query(new EventFilter { After = forwarder.Checkpoint.LastId }).Chunk(batchSize))
        {
            sent += forwarder.Deliver(batch).Sent;
            Console.WriteLine($"batch {forwarder.Checkpoint.LastId}");
        }
        Console.WriteLine($"done {sent}");
        return 0;
    }
}
