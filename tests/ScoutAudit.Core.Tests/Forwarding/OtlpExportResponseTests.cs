using Google.Protobuf;
using ScoutAudit.Core.Tests.Otlp;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// A collector's answer is read in the encoding its Content-Type names (the request's when it names none):
/// a partial success and a refusal's message in protobuf as in JSON; bytes that are no such message are a
/// full success, or no message, never shown as text.
/// </summary>
public sealed class OtlpExportResponseTests
{
    [Theory]
    [InlineData("application/x-protobuf", OtlpProtocol.HttpJson, true)]
    [InlineData("Application/X-Protobuf", OtlpProtocol.HttpJson, true)]
    [InlineData("application/json", OtlpProtocol.HttpProtobuf, false)]
    [InlineData("text/plain", OtlpProtocol.HttpProtobuf, false)]
    [InlineData(null, OtlpProtocol.HttpProtobuf, true)]
    [InlineData(null, OtlpProtocol.HttpJson, false)]
    public void TheAnswersContentTypeDecidesItsEncodingAndTheRequestsWhenItHasNone(string? mediaType, OtlpProtocol sent, bool protobuf) =>
        Assert.Equal(protobuf, OtlpExportResponse.IsProtobuf(mediaType, sent));

    [Fact]
    public void APartialSuccessInProtobufIsRead()
    {
        var body = new ExportLogsServiceResponse { PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = 3, ErrorMessage = "3 records too long" } }.ToByteArray();

        Assert.Equal(new OtlpExportResponse(3, "3 records too long"), OtlpExportResponse.ParseSuccess(body, protobuf: true));
    }

    [Fact]
    public void AnEmptyOrUnreadableProtobufSuccessIsAFullSuccess()
    {
        Assert.Equal(default, OtlpExportResponse.ParseSuccess([], protobuf: true));
        Assert.Equal(default, OtlpExportResponse.ParseSuccess(new ExportLogsServiceResponse().ToByteArray(), protobuf: true));
        Assert.Equal(default, OtlpExportResponse.ParseSuccess([0xFF, 0xFF, 0xFF], protobuf: true));
        Assert.Equal(default, OtlpExportResponse.ParseSuccess("{\"partialSuccess\":{}}"u8.ToArray(), protobuf: true));
    }

    [Fact]
    public void AStatusInProtobufGivesTheFailuresMessageAndBytesThatAreNoneGiveNone()
    {
        Assert.Equal("attribute limit exceeded", OtlpExportResponse.FailureMessage(new Status { Code = 3, Message = "attribute limit exceeded" }.ToByteArray(), protobuf: true));
        Assert.Null(OtlpExportResponse.FailureMessage(new Status { Code = 8 }.ToByteArray(), protobuf: true));
        Assert.Null(OtlpExportResponse.FailureMessage([], protobuf: true));
        Assert.Null(OtlpExportResponse.FailureMessage([0x12, 0x7F, 0x41], protobuf: true)); // a message field cut short
    }

    [Fact]
    public void ALongProtobufMessageIsShortened()
    {
        var said = OtlpExportResponse.FailureMessage(new Status { Message = new string('x', 5000) }.ToByteArray(), protobuf: true);

        Assert.Equal(new string('x', 512) + "...", said);
    }
}
