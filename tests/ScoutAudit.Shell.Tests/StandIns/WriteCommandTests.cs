using System.Management.Automation;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>Write-Host and Write-Output as PowerShell 7.4 documents them.</summary>
public class WriteCommandTests
{
    [Fact]
    public void WriteHostWritesTextToTheHostNotToThePipeline()
    {
        var result = ShellRun.Command("$captured = Write-Host 'to the host'; \"captured=[$captured]\"");
        Assert.Equal("to the host\ncaptured=[]\n", result.Out);
    }

    [Fact]
    public void WriteHostJoinsCollectionsWithTheSeparatorAndCanStayOnTheLine()
    {
        Assert.Equal("1,2,3\n", ShellRun.Output("Write-Host (1, 2, 3) -Separator ','"));
        Assert.Equal("a b c\n", ShellRun.Output("Write-Host a b c"));
        Assert.Equal("one two\n", ShellRun.Output("Write-Host 'one ' -NoNewline; Write-Host two"));
        Assert.Equal("x-y-z\n", ShellRun.Output("Write-Host @('x', @('y', 'z')) -Separator '-'"));
    }

    [Fact]
    public void WriteHostAcceptsColoursAndPipelineInput()
    {
        Assert.Equal("warm\n", ShellRun.Output("Write-Host warm -ForegroundColor Red -BackgroundColor Black"));
        Assert.Equal("p1\np2\n", ShellRun.Output("'p1', 'p2' | Write-Host"));
    }

    [Fact]
    public void WriteHostGoesThroughTheInformationStream()
    {
        Assert.Equal("after\n", ShellRun.Output("Write-Host hidden 6>$null; 'after'"));
        var captured = ShellRun.Objects("Write-Host kept 6>&1").Single();
        var record = Assert.IsType<InformationRecord>(captured.BaseObject);
        Assert.Contains("PSHOST", record.Tags);
        Assert.Equal("kept", record.MessageData.ToString());
    }

    [Fact]
    public void WriteOutputEnumeratesUnlessNoEnumerate()
    {
        Assert.Equal("3\n", ShellRun.Output("(Write-Output 1, 2, 3 | Measure-Object).Count"));
        Assert.Equal("1\n", ShellRun.Output("(Write-Output -NoEnumerate 1, 2, 3 | Measure-Object).Count"));
        Assert.Equal("a\nb\n", ShellRun.Output("Write-Output a b"));
        Assert.Equal("x\n", ShellRun.Output("echo x"));
        Assert.Equal("piped\n", ShellRun.Output("'piped' | Write-Output"));
    }
}
