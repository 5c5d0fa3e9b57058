namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// Headers are checked before anything is sent: a name is a token, a value has no CR, LF, NUL or other
/// control character and nothing outside ASCII. Each is refused once, naming the header and never its
/// value, from the options and from OTEL_EXPORTER_OTLP_HEADERS (whose values are URL-decoded first).
/// </summary>
public sealed class ForwardingHeaderTests : IDisposable
{
    private const string Secret = "s3cret-t0ken";
    private readonly ForwardingTestLog _log = new(new TempFolder());

    public void Dispose() => _log.Dispose();

    public static TheoryData<string, string, string> BadHeaders() => new()
    {
        { "X-Api-Key", Secret + "\r\nX-Injected: yes", "a carriage return (CR)" },
        { "X-Api-Key", Secret + "\nX-Injected: yes", "a line feed (LF)" },
        { "X-Api-Key", Secret + "\0", "a NUL" },
        { "X-Api-Key", Secret + "\u0007", "the control character U+0007" },
        { "X-Api-Key", Secret + "\u00e9", "a character outside ASCII" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void AValueWithAControlOrNonAsciiCharacterIsRefusedBeforeAnythingIsSentWithoutShowingIt(string name, string value, string said)
    {
        _log.Write(0, 3);

        var error = Assert.Throws<ArgumentException>(() => _log.ForwardAll(10, o => o with { Headers = new Dictionary<string, string> { [name] = value } }));

        Assert.Contains($"The value of the header '{name}'", error.Message);
        Assert.Contains(said, error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        Assert.Empty(_log.Receiver.Requests);
        Assert.Empty(_log.Notices);
    }

    [Theory]
    [InlineData("X Api Key", "The header name beginning 'X' in the headers has a space at position 2")]
    [InlineData("Authorization: Bearer " + Secret, "The header name beginning 'Authorization' in the headers has ':' at position 14")]
    [InlineData("X-K\u00e9y", "The header name beginning 'X-K' in the headers has a character outside ASCII at position 4")]
    public void ANameThatIsNotATokenIsRefusedShowingOnlyItsValidBeginning(string name, string said)
    {
        _log.Write(0, 1);

        var error = Assert.Throws<ArgumentException>(() => _log.ForwardAll(10, o => o with { Headers = new Dictionary<string, string> { [name] = "v" } }));

        Assert.StartsWith(said, error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        Assert.Empty(_log.Receiver.Requests);
    }

    [Fact]
    public void AnEnvironmentValueWithAnEncodedCrLfIsRefusedNamingTheHeaderAndTheVariable()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            OtlpHeaders.Parse($"X-Tenant=acme,Authorization=Bearer%20{Secret}%0D%0AX-Injected:%20yes", "$env:OTEL_EXPORTER_OTLP_HEADERS"));

        Assert.StartsWith("The value of the header 'Authorization' in $env:OTEL_EXPORTER_OTLP_HEADERS has a carriage return (CR)", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public void AMalformedEnvironmentPairIsRefusedWithoutShowingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => OtlpHeaders.Parse($"X-Tenant=acme,Authorization Bearer {Secret}", "$env:OTEL_EXPORTER_OTLP_LOGS_HEADERS"));

        Assert.StartsWith("The second entry of $env:OTEL_EXPORTER_OTLP_LOGS_HEADERS is not name=value (it is not shown", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public void EnvironmentHeadersAreUrlDecoded()
    {
        var headers = OtlpHeaders.Parse("Authorization=Bearer%20abc%3D%3D, x-tenant = acme ", "$env:OTEL_EXPORTER_OTLP_HEADERS");

        Assert.Equal("Bearer abc==", headers["authorization"]);
        Assert.Equal("acme", headers["X-Tenant"]);
    }
}
