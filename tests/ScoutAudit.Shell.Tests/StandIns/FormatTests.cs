using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>Format-Table and Format-List: the engine's own formatting, views from .format.ps1xml files included.</summary>
public class FormatTests
{
    private const string Event = "$e = [pscustomobject]@{ Event = 'nav'; Model = 'llama'; InputTokens = 42; OutputTokens = 28; Reason = 'x' }";

    [Fact]
    public void FormatListStarShowsEveryPropertyAsPowerShellDoes()
    {
        Assert.Equal("""

            Event        : nav
            Model        : llama
            InputTokens  : 42
            OutputTokens : 28
            Reason       : x


            """.Replace("\r", string.Empty, StringComparison.Ordinal), ShellRun.Output(Event + "; $e | Format-List *"));
    }

    [Fact]
    public void FormatListWithPropertiesAndACalculatedOne()
    {
        Assert.Equal("""

            Event  : nav
            Tokens : 70


            """.Replace("\r", string.Empty, StringComparison.Ordinal),
            ShellRun.Output(Event + "; $e | Format-List Event, @{ Label = 'Tokens'; Expression = { $_.InputTokens + $_.OutputTokens } }"));
    }

    [Fact]
    public void FormatTableWithPropertiesAutoSizeAndHiddenHeaders()
    {
        Assert.Equal("""

            Event Model InputTokens
            ----- ----- -----------
            nav   llama          42


            """.Replace("\r", string.Empty, StringComparison.Ordinal), ShellRun.Output(Event + "; $e | Format-Table Event, Model, InputTokens -AutoSize"));

        Assert.Equal("\nnav   llama\n\n", ShellRun.Output(Event + "; $e | Format-Table Event, Model -HideTableHeaders"));
    }

    [Fact]
    public void FormatTableGroupBy()
    {
        string text = ShellRun.Output("[pscustomobject]@{ M = 'a'; N = 1 }, [pscustomobject]@{ M = 'a'; N = 2 }, [pscustomobject]@{ M = 'b'; N = 3 } | Format-Table N -GroupBy M");
        Assert.Contains("   M: a\n", text);
        Assert.Contains("   M: b\n", text);
    }

    [Fact]
    public void ViewsFromAModulesFormatFileAreUsed()
    {
        using var folder = new TempFolder();
        folder.Write("Thing.format.ps1xml", """
            <Configuration><ViewDefinitions>
              <View><Name>ThingTable</Name><ViewSelectedBy><TypeName>Test.Thing</TypeName></ViewSelectedBy>
                <TableControl><TableHeaders><TableColumnHeader><Label>Custom Header</Label></TableColumnHeader></TableHeaders>
                  <TableRowEntries><TableRowEntry><TableColumnItems><TableColumnItem><ScriptBlock>"[" + $_.A + "]"</ScriptBlock></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries>
                </TableControl></View>
              <View><Name>ThingList</Name><ViewSelectedBy><TypeName>Test.Thing</TypeName></ViewSelectedBy>
                <ListControl><ListEntries><ListEntry><ListItems><ListItem><Label>Listed A</Label><PropertyName>A</PropertyName></ListItem></ListItems></ListEntry></ListEntries></ListControl></View>
            </ViewDefinitions></Configuration>
            """);
        string manifest = folder.Write("Thing.psd1", "@{ ModuleVersion = '1.0'; FormatsToProcess = @('Thing.format.ps1xml') }");
        string thing = $"Import-Module '{manifest}'; $t = [pscustomobject]@{{ PSTypeName = 'Test.Thing'; A = 5; B = 6 }}; ";

        Assert.Equal("\nCustom Header\n-------------\n[5]\n\n", ShellRun.Output(thing + "$t"));
        Assert.Equal("\nCustom Header\n-------------\n[5]\n\n", ShellRun.Output(thing + "$t | Format-Table"));
        Assert.Equal("\nListed A : 5\n\n", ShellRun.Output(thing + "$t | Format-List"));
        Assert.Equal("\nA B\n- -\n5 6\n\n", ShellRun.Output(thing + "$t | Format-Table A, B"));
    }
}
