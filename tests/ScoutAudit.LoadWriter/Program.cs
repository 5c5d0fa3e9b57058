using System.Globalization;
using ScoutAudit.Core;

// Usage: ScoutAudit.LoadWriter <log path> <writer id> <events> <rotation bytes> [rotate every N events (0: never)] [sync: cadence|none|every]
// Appends events numbered 0..events-1 in session "<writer id>", and after each append returns
// prints "ack <n>" on stdout, so a parent that kills this process knows what it acknowledged.
var path = args[0];
var writer = args[1];
var count = int.Parse(args[2], CultureInfo.InvariantCulture);
var rotationBytes = long.Parse(args[3], CultureInfo.InvariantCulture);
var rotateEvery = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var sync = args.Length > 5 ? args[5] : "cadence";

var options = new AuditLogOptions
{
    RotationSize = rotationBytes,
    SyncPolicy = sync switch
    {
        "none" => new SyncPolicy { Mode = SyncMode.None },
        "every" => new SyncPolicy { Mode = SyncMode.EveryEvent },
        _ => SyncPolicy.Default,
    },
    Diagnostics = new StderrDiagnostics(),
};
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
using (var log = new AuditLog(path, options))
{
    for (var i = 0; i < count; i++)
    {
        log.Append(new AuditEvent("nav") { Extras = [new("writer", JsonValues.From(writer, "writer")), new("n", JsonValues.From(i, "n"))], Reason = "load test event with some padding text" });
        output.WriteLine($"ack {i}");
        if (i % 64 == 0) output.Flush();
        if (rotateEvery > 0 && i % rotateEvery == rotateEvery - 1) log.Rotate();
    }
}
output.WriteLine("done");
output.Flush();
return 0;

internal sealed class StderrDiagnostics : IAuditDiagnostics
{
    public void Report(AuditDiagnostic diagnostic)
    {
        if (diagnostic.IsProblem) Console.Error.WriteLine($"{diagnostic.Kind}: {diagnostic.Message}");
    }
}
