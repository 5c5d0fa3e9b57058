using System.Management.Automation;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>Select-Object as PowerShell 7.4 documents it (about Select-Object, examples and parameter notes).</summary>
public class SelectObjectTests
{
    private static object? PSValue(object? value) => value is PSObject pso ? pso.BaseObject : value;

    private const string Events = """
        $events = @(
            [pscustomobject]@{ Event = 'nav';   Cost = 3; Model = 'llama' }
            [pscustomobject]@{ Event = 'brief'; Cost = 7; Model = 'gpt' }
            [pscustomobject]@{ Event = 'nav';   Cost = 5; Model = 'gpt' }
            [pscustomobject]@{ Event = 'skip';  Cost = 1; Model = 'llama' }
        )
        """ + "\n";

    [Theory]
    [InlineData("-First 3", "1 2 3")]
    [InlineData("-Last 2", "9 10")]
    [InlineData("-Skip 8", "9 10")]
    [InlineData("-First 2 -Skip 3", "4 5")]
    [InlineData("-Last 2 -Skip 1", "8 9")]
    [InlineData("-First 2 -Last 2", "1 2 9 10")]
    [InlineData("-SkipLast 8", "1 2")]
    [InlineData("-First 0", "")]
    [InlineData("-First 20", "1 2 3 4 5 6 7 8 9 10")]
    public void FirstLastSkipAndSkipLastPickAsDocumented(string parameters, string expected) =>
        Assert.Equal(expected, string.Join(' ', ShellRun.Objects($"1..10 | Select-Object {parameters}").Select(o => o.ToString())));

    [Fact]
    public void FirstStopsTheCommandsUpstream()
    {
        var result = ShellRun.Objects("$script:seen = 0; 1..1000 | ForEach-Object { $script:seen++; $_ } | Select-Object -First 3 | Out-Null; $script:seen");
        Assert.Equal(3, (int)result.Single().BaseObject);
    }

    [Fact]
    public void PropertiesAndCalculatedPropertiesWithShortKeysBuildNewObjects()
    {
        var result = ShellRun.Objects(Events + """
            $events[0] | Select-Object Event, @{N='Double'; E={ $_.Cost * 2 }}, @{Label='Engine'; Expression='Model'}, @{Name='Kind'; Expr={ 'fixed' }}
            """);

        var o = Assert.Single(result);
        Assert.Equal(["Event", "Double", "Engine", "Kind"], o.Properties.Select(p => p.Name));
        Assert.Equal("nav", o.Properties["Event"].Value);
        Assert.Equal(6, PSValue(o.Properties["Double"].Value));
        Assert.Equal("llama", o.Properties["Engine"].Value);
        Assert.Equal("fixed", PSValue(o.Properties["Kind"].Value));
        Assert.Equal("Selected.System.Management.Automation.PSCustomObject", o.TypeNames[0]);
    }

    [Fact]
    public void AMissingPropertyIsNullAndWildcardsMatchExistingPropertiesInOrder()
    {
        var o = Assert.Single(ShellRun.Objects(Events + "$events[0] | Select-Object Nope, *o*"));
        Assert.Equal(["Nope", "Cost", "Model"], o.Properties.Select(p => p.Name));
        Assert.Null(o.Properties["Nope"].Value);
    }

    [Fact]
    public void ExcludePropertyAloneMeansEveryOtherProperty()
    {
        var o = Assert.Single(ShellRun.Objects(Events + "$events[0] | Select-Object -ExcludeProperty Cost"));
        Assert.Equal(["Event", "Model"], o.Properties.Select(p => p.Name));
    }

    [Fact]
    public void AScriptBlockWithoutANameIsNamedByItsText()
    {
        var o = Assert.Single(ShellRun.Objects(Events + "$events[0] | Select-Object { $_.Cost + 1 }"));
        Assert.Equal(" $_.Cost + 1 ", o.Properties.Single().Name);
        Assert.Equal(4, PSValue(o.Properties.Single().Value));
    }

    [Fact]
    public void ExpandPropertyWritesTheValuesAndCarriesSelectedPropertiesAlong()
    {
        var result = ShellRun.Objects("""
            [pscustomobject]@{ Event = 'nav'; Files = @('a.cs', 'b.cs') } | Select-Object -ExpandProperty Files -Property Event |
                ForEach-Object { "$_ from $($_.Event)" }
            """);
        Assert.Equal(["a.cs from nav", "b.cs from nav"], result.Select(o => o.ToString()));
    }

    [Fact]
    public void ExpandingAMissingPropertyIsAnErrorPerObject()
    {
        var result = ShellRun.Command("[pscustomobject]@{a=1} | Select-Object -ExpandProperty Nope; 'after'");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("after\n", result.Out);
        Assert.Contains("Property \"Nope\" cannot be found.", result.Err);
    }

    [Fact]
    public void UniqueAsInTheDocumentation() =>
        Assert.Equal(["a", "b", "c", "A"], ShellRun.Objects("\"a\",\"b\",\"c\",\"a\",\"A\",\"a\" | Select-Object -Unique").Select(o => o.ToString()));

    [Fact]
    public void UniqueIsCaseSensitiveAndKeepsFirstAppearance() =>
        Assert.Equal(["a", "b", "B"], ShellRun.Objects("'a','b','a','B','b' | Select-Object -Unique").Select(o => o.ToString()));

    [Fact]
    public void UniqueComparesSelectedProperties()
    {
        var result = ShellRun.Objects(Events + "$events | Select-Object Model -Unique");
        Assert.Equal(["llama", "gpt"], result.Select(o => o.Properties["Model"].Value));
    }

    [Fact]
    public void AnInvalidCalculatedPropertyKeyIsATerminatingError()
    {
        var result = ShellRun.Command("[pscustomobject]@{a=1} | Select-Object @{Nmae='x'; Expression={1}}; 'after'");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"Nmae\" key is not valid", result.Err);
    }

    [Fact]
    public void SortThenSelectFirstThreeRendersAsPowerShellShowsIt()
    {
        string text = ShellRun.Output(Events + "$events | Sort-Object Cost -Descending | Select-Object -First 3 Event, Cost");
        Assert.Equal("""

            Event Cost
            ----- ----
            brief    7
            nav      5
            nav      3


            """.Replace("\r", string.Empty, StringComparison.Ordinal), text);
    }

    [Fact]
    public void TheSelectAliasWorks() =>
        Assert.Equal(["1"], ShellRun.Objects("1..5 | select -First 1").Select(o => o.ToString()));

    [Fact]
    public void InputObjectSelectsFromTheArrayAsOneObject()
    {
        // As in PowerShell, -InputObject takes the collection as a single object.
        var o = Assert.Single(ShellRun.Objects("Select-Object -InputObject @(1,2,3) -Property Count"));
        Assert.Equal(3, (int)((PSObject)o).Properties["Count"].Value);
    }
}
