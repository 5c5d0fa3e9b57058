# A pwsh child process for what needs a real host, a fresh process, or another environment
# (HOME, TZ, PSModulePath): the same PowerShell that runs the tests, started directly (under
# `dotnet pwsh` that is `dotnet <PSHOME>/pwsh.dll`, not the tool's launcher), so that its
# process id is the one that writes and may be killed.

function Get-PwshCommand {
    # Under the dotnet tool the process is dotnet running pwsh.dll; an installed pwsh is its own apphost.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return , @($process, [Environment]::GetCommandLineArgs()[0])
    }
    , @($process)
}

<#
.SYNOPSIS
    Runs a program with the given environment changes ($null removes a variable) and returns
    its exit code, standard output and standard error.
#>
function Invoke-ChildProcess {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).ProviderPath,
        [int] $TimeoutSeconds = 120
    )
    $start = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { [void]$start.Environment.Remove($name) } else { $start.Environment[$name] = [string]$Environment[$name] }
    }
    $process = [Diagnostics.Process]::Start($start)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "$FilePath $ArgumentList did not end within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
    }
    finally {
        $process.Dispose()
    }
}

<#
.SYNOPSIS
    Runs pwsh -NoProfile -NonInteractive -File <script> [arguments] in a child process; see Invoke-ChildProcess.
#>
function Invoke-ChildPwsh {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ScriptPath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).ProviderPath,
        [int] $TimeoutSeconds = 120
    )
    $command = Get-PwshCommand
    $arguments = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $ArgumentList
    Invoke-ChildProcess -FilePath $command[0] -ArgumentList $arguments -Environment $Environment -WorkingDirectory $WorkingDirectory -TimeoutSeconds $TimeoutSeconds
}

Export-ModuleMember -Function Get-PwshCommand, Invoke-ChildProcess, Invoke-ChildPwsh
