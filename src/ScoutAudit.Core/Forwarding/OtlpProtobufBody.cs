using System.Runtime.CompilerServices;
using Google.Protobuf;
using static Google.Protobuf.WireFormat;

namespace ScoutAudit.Core;

/// <summary>
/// A mapped batch (<see cref="OtlpLogEncoding"/>) in the protobuf encoding (<c>http/protobuf</c>), on
/// Google.Protobuf's <see cref="CodedOutputStream"/> with the field numbers of <see cref="OtlpSchema"/>:
/// every message's size is computed first, then the body is written once into an array of exactly that size.
/// Fields go in field-number order and proto3 defaults (an empty string outside a oneof) are left out, so the
/// bytes are those protobuf's own serializer gives for the same message.
/// </summary>
internal static class OtlpProtobufBody
{
    [MethodImpl(MethodImplOptions.NoInlining)] // only this encoding loads Google.Protobuf (see OtlpExportResponse)
    public static byte[] Encode(OtlpBatch batch)
    {
        var attributes = batch.Attributes;
        var valueSizes = new int[attributes.Count];
        var pairSizes = new int[attributes.Count];
        for (var i = 0; i < attributes.Count; i++) (valueSizes[i], pairSizes[i]) = Sizes(attributes[i]);
        var recordSizes = new int[batch.Records.Count];
        var scopeLogsSize = Delimited(OtlpSchema.ScopeLogs.Scope, ScopeSize());
        for (var i = 0; i < recordSizes.Length; i++)
        {
            recordSizes[i] = RecordSize(batch, batch.Records[i], pairSizes);
            scopeLogsSize += Delimited(OtlpSchema.ScopeLogs.LogRecords, recordSizes[i]);
        }
        var resource = batch.Resource.Select(Sizes).ToArray();
        var resourceSize = resource.Sum(size => Delimited(OtlpSchema.Resource.Attributes, size.Pair));
        var resourceLogsSize = Delimited(OtlpSchema.ResourceLogs.Resource, resourceSize) + Delimited(OtlpSchema.ResourceLogs.ScopeLogs, scopeLogsSize);

        var body = new byte[Delimited(OtlpSchema.ExportLogsServiceRequest.ResourceLogs, resourceLogsSize)];
        var output = new CodedOutputStream(body);
        Open(output, OtlpSchema.ExportLogsServiceRequest.ResourceLogs, resourceLogsSize);
        Open(output, OtlpSchema.ResourceLogs.Resource, resourceSize);
        for (var i = 0; i < resource.Length; i++) WritePair(output, OtlpSchema.Resource.Attributes, batch.Resource[i], resource[i].Value, resource[i].Pair);
        Open(output, OtlpSchema.ResourceLogs.ScopeLogs, scopeLogsSize);
        Open(output, OtlpSchema.ScopeLogs.Scope, ScopeSize());
        NonEmptyString(output, OtlpSchema.InstrumentationScope.Name, OtlpLogEncoding.ScopeName);
        NonEmptyString(output, OtlpSchema.InstrumentationScope.Version, OtlpLogEncoding.ScopeVersion);
        for (var r = 0; r < recordSizes.Length; r++)
        {
            var record = batch.Records[r];
            Open(output, OtlpSchema.ScopeLogs.LogRecords, recordSizes[r]);
            if (record.TimeUnixNano is { } time)
            {
                output.WriteTag(OtlpSchema.LogRecord.TimeUnixNano, WireType.Fixed64);
                output.WriteFixed64(time);
            }
            output.WriteTag(OtlpSchema.LogRecord.SeverityNumber, WireType.Varint);
            output.WriteEnum(OtlpLogEncoding.SeverityInfo);
            NonEmptyString(output, OtlpSchema.LogRecord.SeverityText, OtlpLogEncoding.SeverityInfoText);
            Open(output, OtlpSchema.LogRecord.Body, BodySize(record.EventName));
            output.WriteTag(OtlpSchema.AnyValue.StringValue, WireType.LengthDelimited);
            output.WriteString(record.EventName);
            for (var i = record.First; i < record.First + record.Count; i++) WritePair(output, OtlpSchema.LogRecord.Attributes, attributes[i], valueSizes[i], pairSizes[i]);
            if (batch.ObservedUnixNano is { } observed)
            {
                output.WriteTag(OtlpSchema.LogRecord.ObservedTimeUnixNano, WireType.Fixed64);
                output.WriteFixed64(observed);
            }
            NonEmptyString(output, OtlpSchema.LogRecord.EventName, record.EventName);
        }
        output.CheckNoSpaceLeft();
        return body;
    }

    private static int ScopeSize() => StringFieldSize(OtlpSchema.InstrumentationScope.Name, OtlpLogEncoding.ScopeName)
                                      + StringFieldSize(OtlpSchema.InstrumentationScope.Version, OtlpLogEncoding.ScopeVersion);

    private static int BodySize(string eventName) => CodedOutputStream.ComputeTagSize(OtlpSchema.AnyValue.StringValue) + CodedOutputStream.ComputeStringSize(eventName);

    private static int RecordSize(OtlpBatch batch, OtlpRecord record, int[] pairSizes)
    {
        var size = 0;
        if (record.TimeUnixNano is not null) size += CodedOutputStream.ComputeTagSize(OtlpSchema.LogRecord.TimeUnixNano) + 8;
        size += CodedOutputStream.ComputeTagSize(OtlpSchema.LogRecord.SeverityNumber) + CodedOutputStream.ComputeEnumSize(OtlpLogEncoding.SeverityInfo);
        size += StringFieldSize(OtlpSchema.LogRecord.SeverityText, OtlpLogEncoding.SeverityInfoText);
        size += Delimited(OtlpSchema.LogRecord.Body, BodySize(record.EventName));
        for (var i = record.First; i < record.First + record.Count; i++) size += Delimited(OtlpSchema.LogRecord.Attributes, pairSizes[i]);
        if (batch.ObservedUnixNano is not null) size += CodedOutputStream.ComputeTagSize(OtlpSchema.LogRecord.ObservedTimeUnixNano) + 8;
        size += StringFieldSize(OtlpSchema.LogRecord.EventName, record.EventName);
        return size;
    }

    /// <summary>The sizes of an attribute's AnyValue and of its whole KeyValue.</summary>
    private static (int Value, int Pair) Sizes(OtlpAttribute attribute)
    {
        var value = attribute.Kind switch
        {
            OtlpValueKind.String => CodedOutputStream.ComputeTagSize(OtlpSchema.AnyValue.StringValue) + CodedOutputStream.ComputeStringSize(attribute.Text),
            OtlpValueKind.Bool => CodedOutputStream.ComputeTagSize(OtlpSchema.AnyValue.BoolValue) + CodedOutputStream.ComputeBoolSize(attribute.Bool),
            OtlpValueKind.Int => CodedOutputStream.ComputeTagSize(OtlpSchema.AnyValue.IntValue) + CodedOutputStream.ComputeInt64Size(attribute.Int),
            OtlpValueKind.Double => CodedOutputStream.ComputeTagSize(OtlpSchema.AnyValue.DoubleValue) + CodedOutputStream.ComputeDoubleSize(attribute.Double),
            OtlpValueKind.StringArray => Delimited(OtlpSchema.AnyValue.ArrayValue, ArraySize(attribute.Strings!)),
            _ => 0,
        };
        return (value, StringFieldSize(OtlpSchema.KeyValue.Key, attribute.Key) + Delimited(OtlpSchema.KeyValue.Value, value));
    }

    private static int ArraySize(IReadOnlyList<string> values)
    {
        var size = 0;
        foreach (var value in values) size += Delimited(OtlpSchema.ArrayValue.Values, StringValueSize(value));
        return size;
    }

    private static int StringValueSize(string value) => CodedOutputStream.ComputeTagSize(OtlpSchema.AnyValue.StringValue) + CodedOutputStream.ComputeStringSize(value);

    private static void WritePair(CodedOutputStream output, int field, in OtlpAttribute attribute, int valueSize, int pairSize)
    {
        Open(output, field, pairSize);
        NonEmptyString(output, OtlpSchema.KeyValue.Key, attribute.Key);
        Open(output, OtlpSchema.KeyValue.Value, valueSize);
        switch (attribute.Kind)
        {
            case OtlpValueKind.String:
                output.WriteTag(OtlpSchema.AnyValue.StringValue, WireType.LengthDelimited);
                output.WriteString(attribute.Text);
                break;
            case OtlpValueKind.Bool:
                output.WriteTag(OtlpSchema.AnyValue.BoolValue, WireType.Varint);
                output.WriteBool(attribute.Bool);
                break;
            case OtlpValueKind.Int:
                output.WriteTag(OtlpSchema.AnyValue.IntValue, WireType.Varint);
                output.WriteInt64(attribute.Int);
                break;
            case OtlpValueKind.Double:
                output.WriteTag(OtlpSchema.AnyValue.DoubleValue, WireType.Fixed64);
                output.WriteDouble(attribute.Double);
                break;
            case OtlpValueKind.StringArray:
                Open(output, OtlpSchema.AnyValue.ArrayValue, ArraySize(attribute.Strings!));
                foreach (var value in attribute.Strings!)
                {
                    Open(output, OtlpSchema.ArrayValue.Values, StringValueSize(value));
                    output.WriteTag(OtlpSchema.AnyValue.StringValue, WireType.LengthDelimited);
                    output.WriteString(value);
                }
                break;
        }
    }

    /// <summary>The tag and length of an embedded message of <paramref name="size"/> bytes, which the caller writes next.</summary>
    private static void Open(CodedOutputStream output, int field, int size)
    {
        output.WriteTag(field, WireType.LengthDelimited);
        output.WriteLength(size);
    }

    /// <summary>A string field outside a oneof: proto3 leaves an empty one out.</summary>
    private static void NonEmptyString(CodedOutputStream output, int field, string value)
    {
        if (value.Length == 0) return;
        output.WriteTag(field, WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static int StringFieldSize(int field, string value) => value.Length == 0 ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeStringSize(value);

    /// <summary>The size of a length-delimited field of <paramref name="size"/> bytes with its tag and length.</summary>
    private static int Delimited(int field, int size) => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(size) + size;
}
