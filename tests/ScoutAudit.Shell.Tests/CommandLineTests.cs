namespace ScoutAudit.Shell.Tests;

public class CommandLineTests
{
    [Theory]
    [InlineData("-Command")]
    [InlineData("-c")]
    [InlineData("-com")]
    [InlineData("--command")]
    [InlineData("-COMMAND")]
    public void CommandAndItsAbbreviationsTakeTheRestOfTheLineAsTheScript(string parameter)
    {
        var line = CommandLine.Parse([parameter, "Get-Date", "|", "Select-Object", "Year"]);
        Assert.Equal(ShellMode.Command, line.Mode);
        Assert.Equal("Get-Date | Select-Object Year", line.Script);
    }

    [Fact]
    public void FileTakesThePathAndPassesTheRestToTheScript()
    {
        var line = CommandLine.Parse(["-File", "build.ps1", "-Task", "Package", "extra"]);
        Assert.Equal(ShellMode.File, line.Mode);
        Assert.Equal("build.ps1", line.FilePath);
        Assert.Equal(["-Task", "Package", "extra"], line.FileArguments);
    }

    [Fact]
    public void AFirstWordThatIsNotAParameterIsAScriptFileAsInPwsh()
    {
        var line = CommandLine.Parse(["script.ps1", "-Name", "x"]);
        Assert.Equal(ShellMode.File, line.Mode);
        Assert.Equal("script.ps1", line.FilePath);
        Assert.Equal(["-Name", "x"], line.FileArguments);
    }

    [Theory]
    [InlineData("-?")]
    [InlineData("-h")]
    [InlineData("-Help")]
    [InlineData("--help")]
    public void HelpSwitchesAskForUsage(string parameter) =>
        Assert.Equal(ShellMode.Help, CommandLine.Parse([parameter]).Mode);

    [Fact]
    public void PwshCompatibilitySwitchesAreAcceptedAndChangeNothing()
    {
        var line = CommandLine.Parse(["-NoProfile", "-NoLogo", "-NonInteractive", "-Command", "1"]);
        Assert.Equal(ShellMode.Command, line.Mode);
        Assert.Equal("1", line.Script);
    }

    [Fact]
    public void NoArgumentsMeansTheInteractivePrompt() =>
        Assert.Equal(ShellMode.Interactive, CommandLine.Parse([]).Mode);

    [Theory]
    [InlineData("-Bogus")]
    [InlineData("-Command")]
    [InlineData("-File")]
    public void UnknownParametersAndMissingValuesAreUsageErrors(string parameter)
    {
        var line = CommandLine.Parse([parameter]);
        Assert.Equal(ShellMode.Invalid, line.Mode);
        Assert.False(string.IsNullOrEmpty(line.Problem));
    }

    [Fact]
    public void ScriptArgumentsBecomeParametersWithPwshMeaning()
    {
        var parameters = ScriptArguments.ToParameters(["-Name", "bob", "-Loud", "-Text:a b", "-Flag:$False", "-Next:", "value", "it's", "-5"]);
        Assert.Equal(
            ["-Name=", "=bob", "-Loud=", "-Text=a b", "-Flag=False", "-Next=value", "=it's", "=-5"],
            parameters.Select(p => $"{p.Name}={p.Value}"));
        Assert.IsType<bool>(parameters[4].Value);
    }
}
