using Google.Protobuf.Reflection;
using ScoutAudit.Core.Tests.Otlp;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// The schema the receiver decodes with (Otlp/otlp_logs.proto, written for the tests) is the OpenTelemetry
/// project's: every message and field of it has the name, number, type and cardinality of the upstream
/// definitions, as protoc compiled them into the Serilog.Sinks.OpenTelemetry package. That package's copy
/// predates OTLP 1.5, so <c>LogRecord.event_name</c> (12) is the one field it cannot vouch for.
/// </summary>
public sealed class OtlpSchemaTests
{
    private static readonly string[] UpstreamFiles =
    [
        "OpenTelemetry.Proto.Collector.Logs.V1.LogsServiceReflection",
        "OpenTelemetry.Proto.Logs.V1.LogsReflection",
        "OpenTelemetry.Proto.Common.V1.CommonReflection",
        "OpenTelemetry.Proto.Resource.V1.ResourceReflection",
    ];

    private static readonly string[] NewerThanThePackage = ["LogRecord.event_name"];

    /// <summary>The package's descriptors (its generated types are internal; their descriptors are Google.Protobuf's public API).</summary>
    private static Dictionary<string, FileDescriptor> Upstream()
    {
        var assembly = typeof(Serilog.Sinks.OpenTelemetry.OtlpProtocol).Assembly;
        return UpstreamFiles.ToDictionary(name => name, name => (FileDescriptor)assembly.GetType(name, throwOnError: true)!.GetProperty("Descriptor")!.GetValue(null)!);
    }

    [Fact]
    public void EveryMessageAndFieldOfTheTestSchemaIsTheOpenTelemetryProjects()
    {
        var upstream = Upstream().Values.SelectMany(file => file.MessageTypes).ToDictionary(message => message.Name);
        var checkedFields = 0;
        var unvouched = new List<string>();

        foreach (var ours in OtlpLogsReflection.Descriptor.MessageTypes)
        {
            Assert.True(upstream.TryGetValue(ours.Name, out var theirs), $"upstream has no message {ours.Name}");
            foreach (var field in ours.Fields.InFieldNumberOrder())
            {
                var name = $"{ours.Name}.{field.Name}";
                if (theirs.FindFieldByNumber(field.FieldNumber) is not { } other)
                {
                    unvouched.Add(name);
                    continue;
                }
                Assert.Equal((name, field.FieldType, field.IsRepeated, field.RealContainingOneof?.Name),
                    ($"{theirs.Name}.{other.Name}", other.FieldType, other.IsRepeated, other.RealContainingOneof?.Name));
                if (field.FieldType == FieldType.Message) Assert.Equal(field.MessageType.Name, other.MessageType.Name);
                if (field.FieldType == FieldType.Enum)
                {
                    foreach (var value in field.EnumType.Values) Assert.Equal(value.Name, other.EnumType.FindValueByNumber(value.Number)?.Name);
                }
                checkedFields++;
            }
        }

        Assert.Equal(NewerThanThePackage, unvouched);
        Assert.True(checkedFields >= 30, $"{checkedFields} fields checked");
    }
}
