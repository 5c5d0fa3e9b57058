namespace ScoutAudit.Core;

/// <summary>
/// The field numbers of the OTLP messages the forwarder writes and reads, as the specification's
/// .proto files declare them (opentelemetry-proto: <c>collector/logs/v1/logs_service.proto</c>,
/// <c>logs/v1/logs.proto</c>, <c>common/v1/common.proto</c>, <c>resource/v1/resource.proto</c>), and of
/// <c>google.rpc.Status</c>, the body of a failure. Only the fields the mapping uses are named; a
/// reader skips any other. The tests decode what is written with code generated from the upstream files.
/// </summary>
internal static class OtlpSchema
{
    /// <summary><c>opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest</c>.</summary>
    public static class ExportLogsServiceRequest
    {
        public const int ResourceLogs = 1; // repeated ResourceLogs
    }

    /// <summary><c>opentelemetry.proto.logs.v1.ResourceLogs</c>.</summary>
    public static class ResourceLogs
    {
        public const int Resource = 1; // Resource
        public const int ScopeLogs = 2; // repeated ScopeLogs
    }

    /// <summary><c>opentelemetry.proto.resource.v1.Resource</c>.</summary>
    public static class Resource
    {
        public const int Attributes = 1; // repeated KeyValue
    }

    /// <summary><c>opentelemetry.proto.logs.v1.ScopeLogs</c>.</summary>
    public static class ScopeLogs
    {
        public const int Scope = 1; // InstrumentationScope
        public const int LogRecords = 2; // repeated LogRecord
    }

    /// <summary><c>opentelemetry.proto.common.v1.InstrumentationScope</c>.</summary>
    public static class InstrumentationScope
    {
        public const int Name = 1; // string
        public const int Version = 2; // string
    }

    /// <summary><c>opentelemetry.proto.logs.v1.LogRecord</c>.</summary>
    public static class LogRecord
    {
        public const int TimeUnixNano = 1; // fixed64
        public const int SeverityNumber = 2; // enum SeverityNumber
        public const int SeverityText = 3; // string
        public const int Body = 5; // AnyValue
        public const int Attributes = 6; // repeated KeyValue
        public const int ObservedTimeUnixNano = 11; // fixed64
        public const int EventName = 12; // string
    }

    /// <summary><c>opentelemetry.proto.common.v1.KeyValue</c>.</summary>
    public static class KeyValue
    {
        public const int Key = 1; // string
        public const int Value = 2; // AnyValue
    }

    /// <summary><c>opentelemetry.proto.common.v1.AnyValue</c>: a oneof; no field set is an empty value.</summary>
    public static class AnyValue
    {
        public const int StringValue = 1; // string
        public const int BoolValue = 2; // bool
        public const int IntValue = 3; // int64
        public const int DoubleValue = 4; // double
        public const int ArrayValue = 5; // ArrayValue
    }

    /// <summary><c>opentelemetry.proto.common.v1.ArrayValue</c>.</summary>
    public static class ArrayValue
    {
        public const int Values = 1; // repeated AnyValue
    }

    /// <summary><c>opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse</c>.</summary>
    public static class ExportLogsServiceResponse
    {
        public const int PartialSuccess = 1; // ExportLogsPartialSuccess
    }

    /// <summary><c>opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess</c>.</summary>
    public static class ExportLogsPartialSuccess
    {
        public const int RejectedLogRecords = 1; // int64
        public const int ErrorMessage = 2; // string
    }

    /// <summary><c>google.rpc.Status</c>, which OTLP/HTTP sends with a failure.</summary>
    public static class Status
    {
        public const int Code = 1; // int32
        public const int Message = 2; // string
    }
}
