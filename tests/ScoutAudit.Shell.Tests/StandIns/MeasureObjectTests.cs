using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>Measure-Object as PowerShell 7.4 documents it.</summary>
public class MeasureObjectTests
{
    [Fact]
    public void SumAverageMaximumAndMinimumOfNumbers()
    {
        string text = ShellRun.Output("1..10 | Measure-Object -Sum -Average -Maximum -Minimum");
        Assert.Equal("""

            Count             : 10
            Average           : 5.5
            Sum               : 55
            Maximum           : 10
            Minimum           : 1
            StandardDeviation : 
            Property          : 


            """.Replace("\r", string.Empty, StringComparison.Ordinal), text);
    }

    [Fact]
    public void APropertyIsMeasuredAndNamedInTheResult()
    {
        var m = ShellRun.Objects("@([pscustomobject]@{Cost=0.5}, [pscustomobject]@{Cost=1.5}, [pscustomobject]@{Cost=1}) | Measure-Object Cost -Sum -Average -Maximum -Minimum").Single();
        Assert.Equal(3, (int)m.Properties["Count"].Value);
        Assert.Equal(3.0, (double)m.Properties["Sum"].Value);
        Assert.Equal(1.0, (double)m.Properties["Average"].Value);
        Assert.Equal(1.5, (double)m.Properties["Maximum"].Value);
        Assert.Equal(0.5, (double)m.Properties["Minimum"].Value);
        Assert.Equal("Cost", m.Properties["Property"].Value);
        Assert.Equal("Microsoft.PowerShell.Commands.GenericMeasureInfo", m.TypeNames[0]);
    }

    [Fact]
    public void OnlyTheCountIsGivenUnlessMoreIsAsked()
    {
        var m = ShellRun.Objects("'a', 'b', 'c' | Measure-Object").Single();
        Assert.Equal(3, (int)m.Properties["Count"].Value);
        Assert.Null(m.Properties["Sum"].Value);
        Assert.Null(m.Properties["Property"].Value);
    }

    [Fact]
    public void NoInputCountsZero() =>
        Assert.Equal(0, (int)ShellRun.Objects("@() | Measure-Object").Single().Properties["Count"].Value);

    [Fact]
    public void StandardDeviationIsTheSampleDeviation()
    {
        var m = ShellRun.Objects("1, 2, 3, 4 | Measure-Object -StandardDeviation").Single();
        Assert.Equal(Math.Sqrt(5.0 / 3.0), (double)m.Properties["StandardDeviation"].Value, 12);
    }

    [Fact]
    public void AllStatsFillsEveryStatistic()
    {
        var m = ShellRun.Objects("2, 4 | Measure-Object -AllStats").Single();
        Assert.Equal(new object[] { 2, 3.0, 6.0, 4.0, 2.0 }, new object[] { m.Properties["Count"].Value, m.Properties["Average"].Value, m.Properties["Sum"].Value, m.Properties["Maximum"].Value, m.Properties["Minimum"].Value });
        Assert.Equal(Math.Sqrt(2), (double)m.Properties["StandardDeviation"].Value, 12);
    }

    [Fact]
    public void SeveralPropertiesAndWildcardsGiveOneResultEach()
    {
        var results = ShellRun.Objects("[pscustomobject]@{InputTokens=1; OutputTokens=2}, [pscustomobject]@{InputTokens=3; OutputTokens=4} | Measure-Object *Tokens -Sum");
        Assert.Equal(["InputTokens", "OutputTokens"], results.Select(r => r.Properties["Property"].Value));
        Assert.Equal([4.0, 6.0], results.Select(r => r.Properties["Sum"].Value));
    }

    [Fact]
    public void APropertyNoObjectHasGivesNoResult() =>
        Assert.Empty(ShellRun.Objects("[pscustomobject]@{a=1} | Measure-Object Nope -Sum"));

    [Fact]
    public void MaximumAndMinimumOfTextKeepTheText()
    {
        var m = ShellRun.Objects("'pear', 'apple', 'quince' | Measure-Object -Maximum -Minimum").Single();
        Assert.Equal("quince", m.Properties["Maximum"].Value);
        Assert.Equal("apple", m.Properties["Minimum"].Value);
        Assert.Equal("Microsoft.PowerShell.Commands.GenericObjectMeasureInfo", m.TypeNames[0]);
    }

    [Fact]
    public void ASumOfTextIsAnErrorAndLeavesTheSumEmpty()
    {
        var result = ShellRun.Command("$m = 1, 'x' | Measure-Object -Sum; \"sum=[$($m.Sum)] count=$($m.Count)\"");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("sum=[] count=2\n", result.Out);
        Assert.Contains("Input object \"x\" is not numeric.", result.Err);
    }

    [Fact]
    public void TheResultIsUsableInAnExpressionAsInTheDesignCard() =>
        Assert.Equal("over budget\n", ShellRun.Output("if ((0.04, 0.02 | Measure-Object -Sum).Sum -gt 0.05) { 'over budget' }"));
}
