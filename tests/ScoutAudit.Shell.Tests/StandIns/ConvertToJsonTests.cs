using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>ConvertTo-Json as PowerShell 7.4 writes it: the layout, depth, escaping and number forms.</summary>
public class ConvertToJsonTests
{
    private static string Json(string script) => string.Concat(ShellRun.Objects(script).Select(o => o.ToString()));

    [Fact]
    public void ACustomObjectIsIndentedByTwoSpacesWithNestedArraysAndObjects()
    {
        string json = Json("[pscustomobject]@{ Event = 'nav'; Cost = 0.5; Files = @('a.cs', 'b.cs'); Config = [ordered]@{ temperature = 0.2 }; Reason = $null } | ConvertTo-Json");
        Assert.Equal("""
            {
              "Event": "nav",
              "Cost": 0.5,
              "Files": [
                "a.cs",
                "b.cs"
              ],
              "Config": {
                "temperature": 0.2
              },
              "Reason": null
            }
            """.Replace("\r", string.Empty, StringComparison.Ordinal), json.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void CompressWritesOneLine() =>
        Assert.Equal("{\"a\":1,\"b\":[true,false],\"c\":\"x\"}", Json("[ordered]@{ a = 1; b = $true, $false; c = 'x' } | ConvertTo-Json -Compress"));

    [Fact]
    public void SeveralInputObjectsMakeAnArrayAndAsArrayForcesOne()
    {
        Assert.Equal("[1,2,3]", Json("1, 2, 3 | ConvertTo-Json -Compress"));
        Assert.Equal("[1]", Json("1 | ConvertTo-Json -Compress -AsArray"));
        Assert.Equal("1", Json("1 | ConvertTo-Json -Compress"));
        Assert.Equal("[1,2]", Json("ConvertTo-Json -InputObject @(1, 2) -Compress"));
    }

    [Fact]
    public void BeyondDepthObjectsBecomeTheirStringFormWithOneWarning()
    {
        var result = ShellRun.Command("[pscustomobject]@{ a = [pscustomobject]@{ b = [pscustomobject]@{ c = 1 } }; d = @{ e = @{ f = 1 } } } | ConvertTo-Json -Depth 1 -Compress");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"a\":{\"b\":\"@{c=1}\"},\"d\":{\"e\":\"System.Collections.Hashtable\"}}\n", result.Out);
        Assert.Equal("WARNING: Resulting JSON is truncated as serialization has exceeded the set depth of 1.\n", result.Err);
    }

    [Fact]
    public void TheDefaultDepthIsTwo()
    {
        var result = ShellRun.Command("@{ l1 = @{ l2 = @{ l3 = 'deep' } } } | ConvertTo-Json -Compress");
        Assert.Equal("{\"l1\":{\"l2\":{\"l3\":\"deep\"}}}\n", result.Out);
        Assert.Equal(string.Empty, result.Err);
        Assert.Contains("System.Collections.Hashtable", ShellRun.Command("@{ l1 = @{ l2 = @{ l3 = @{ l4 = 1 } } } } | ConvertTo-Json -Compress").Out);
    }

    [Fact]
    public void DepthIsLimitedToOneHundred() =>
        Assert.Equal(1, ShellRun.Command("1 | ConvertTo-Json -Depth 101").ExitCode);

    [Fact]
    public void NumbersDatesAndEnumsAreWrittenAsPowerShellWritesThem()
    {
        Assert.Equal("3E-06", Json("3e-06 | ConvertTo-Json"));
        Assert.Equal("1.0", Json("[double]1 | ConvertTo-Json"));
        Assert.Equal("1.50", Json("1.50d | ConvertTo-Json"));
        Assert.Equal("9223372036854775807", Json("[long]::MaxValue | ConvertTo-Json"));
        Assert.Equal("\"2026-02-13T14:30:22.123Z\"", Json("[datetime]::SpecifyKind([datetime]'2026-02-13T14:30:22.123', 'Utc') | ConvertTo-Json"));
        Assert.Equal("\"2026-02-13T14:30:22\"", Json("[datetime]'2026-02-13T14:30:22' | ConvertTo-Json"));
        Assert.Equal("\"2026-02-13T14:30:22+05:30\"", Json("[DateTimeOffset]'2026-02-13T14:30:22+05:30' | ConvertTo-Json"));
        Assert.Equal("5", Json("[DayOfWeek]::Friday | ConvertTo-Json"));
        Assert.Equal("\"Friday\"", Json("[DayOfWeek]::Friday | ConvertTo-Json -EnumsAsStrings"));
    }

    [Fact]
    public void AGetDateResultIsJustItsDate()
    {
        string json = Json("Get-Date -Date '2026-02-13T14:30:22' | ConvertTo-Json");
        Assert.Equal("\"2026-02-13T14:30:22\"", json);
    }

    [Fact]
    public void StringsAreEscapedAsAsked()
    {
        Assert.Equal("\"say \\\"hi\\\" <b>é\\n\"", Json("\"say `\"hi`\" <b>é`n\" | ConvertTo-Json"));
        Assert.Equal("\"say \\u0022hi\\u0022 \\u003cb\\u003eé\\n\"", Json("\"say `\"hi`\" <b>é`n\" | ConvertTo-Json -EscapeHandling EscapeHtml"));
        Assert.Equal("\"\\u00e9\"", Json("'é' | ConvertTo-Json -EscapeHandling EscapeNonAscii"));
    }

    [Fact]
    public void NullAndEmptyCollections()
    {
        Assert.Equal("null", Json("ConvertTo-Json -InputObject $null"));
        Assert.Equal("[]", Json("ConvertTo-Json -InputObject @() -Compress"));
        Assert.Equal("{}", Json("@{} | ConvertTo-Json"));
    }

    [Fact]
    public void DotNetObjectsGiveTheirPublicPropertiesAndAddedNotes()
    {
        Assert.Equal("{\"Major\":1,\"Minor\":2,\"Build\":-1,\"Revision\":-1,\"MajorRevision\":-1,\"MinorRevision\":-1}", Json("[version]'1.2' | ConvertTo-Json -Compress"));
        Assert.Equal("{\"value\":[1,2],\"Label\":\"x\"}", Json("$a = [psobject]::new(@(1, 2)); $a.PSObject.Properties.Add([psnoteproperty]::new('Label', 'x')); ConvertTo-Json -InputObject $a -Compress"));
    }

    [Fact]
    public void ADictionaryWithANonStringKeyIsATerminatingError()
    {
        var result = ShellRun.Command("@{ 1 = 'one' } | ConvertTo-Json; 'after'");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Keys must be strings", result.Err);
    }
}
