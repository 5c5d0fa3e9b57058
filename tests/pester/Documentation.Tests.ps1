# What the README and the help pages show a user runs as shown, in real pwsh: every PowerShell
# example verbatim in a fresh child pwsh (a temporary HOME and log, seeded with a few events so
# queries have something to show), and the README's command lines.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Support/MarkdownExamples.psm1') -Force
    $examples = Get-DocumentedExample -Root ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..')))
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ScoutAuditTestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/MarkdownExamples.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/OtlpReceiver.psm1') -Force
    # The collector the forwarding examples send to, named as a machine's configuration names it.
    $collector = Start-OtlpReceiver
    $root = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $manifest = Join-Path $root 'module/ScoutAudit.psd1'
    # The same list as at discovery: what the tests below judge as a whole.
    $examples = Get-DocumentedExample -Root $root

    # The real ~/.scout as names, sizes and times: equal before and after means untouched.
    function Get-ScoutDirectoryState {
        $directory = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.scout'
        if (-not (Test-Path $directory)) { return '(none)' }
        (Get-ChildItem $directory -Recurse -File | Sort-Object FullName | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) -join "`n"
    }

    # A folder of its own for one run: home/, work/, and logs/audit.jsonl seeded with four events
    # of the last two hours (written as the original writes them).
    function New-ExampleStage {
        $stage = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory (Join-Path $stage 'home'), (Join-Path $stage 'work'), (Join-Path $stage 'logs')
        $log = Join-Path $stage 'logs/audit.jsonl'
        Set-ScoutAuditLogContent -Path $log -Line (Get-ExampleSeedLine)
        [pscustomobject]@{ Home = Join-Path $stage 'home'; Work = Join-Path $stage 'work'; Log = $log; Root = $stage }
    }
}

AfterAll {
    Stop-OtlpReceiver $collector
}

Describe 'Every PowerShell example of README.md and docs/en-US' {
    It 'has examples to run' {
        $examples.Count | Should -BeGreaterThan 20
    }

    It 'holds commands only, without a prompt (output goes in a block of its own)' {
        $withPrompt = @($examples | Where-Object { $_.PromptLine } | ForEach-Object { "$($_.File):$($_.PromptLine)" })
        $withPrompt | Should -BeNullOrEmpty
    }

    It '<File>:<Line> runs verbatim in pwsh without an error' -ForEach $examples {
        $stage = New-ExampleStage
        $script = Join-Path $stage.Root 'example.ps1'
        # The module as an installed one would be (the examples do not import it), then the example as written.
        Set-Content $script -Value ("Import-Module '$manifest'`n" + $Code)
        $before = Get-ScoutDirectoryState

        $run = Invoke-ChildPwsh -ArgumentList '-File', $script -WorkingDirectory $stage.Work -Environment @{
            HOME = $stage.Home; SCOUT_AUDIT_PATH = $stage.Log; COLUMNS = '80'; OTEL_EXPORTER_OTLP_ENDPOINT = $collector.Endpoint
        }

        $run.StdErr | Should -BeNullOrEmpty -Because "$File`:$Line wrote to standard error; its output was:`n$($run.StdOut)"
        $run.ExitCode | Should -Be 0 -Because $run.StdOut
        Get-ScoutDirectoryState | Should -Be $before -Because 'no example may touch the real ~/.scout'
    }
}

Describe 'The documented way to make a signing key' -Skip:$IsWindows {
    BeforeAll {
        $keyExamples = @($examples | Where-Object { $_.Code -match 'ExportPkcs8PrivateKeyPem' })
    }

    It 'is one example, Test-ScoutAuditLog''s' {
        $keyExamples | Should -HaveCount 1
        $keyExamples[0].File | Should -Be 'docs/en-US/Test-ScoutAuditLog.md'
    }

    It 'creates the private key 0600 under umask <Umask>, verbatim, and the module takes it' -ForEach @(
        @{ Umask = '000' }
        @{ Umask = '022' }
        @{ Umask = '077' }
    ) {
        $stage = New-ExampleStage
        $script = Join-Path $stage.Root 'example.ps1'
        Set-Content $script -Value ("Import-Module '$manifest'`n" + $keyExamples[0].Code)

        $run = Invoke-ChildPwsh -Umask $Umask -ArgumentList '-File', $script -WorkingDirectory $stage.Work -Environment @{
            HOME = $stage.Home; SCOUT_AUDIT_PATH = $stage.Log; COLUMNS = '80'
        }

        $run.StdErr | Should -BeNullOrEmpty -Because $run.StdOut
        $run.ExitCode | Should -Be 0
        (Get-Item (Join-Path $stage.Work 'audit-signing.pem')).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }
}

Describe 'The README''s command lines' {
    BeforeAll {
        $blocks = [regex]::Matches((Get-Content -Raw (Join-Path $root 'README.md')), '(?ms)^```sh\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value }
    }

    It 'the main job restores pwsh, builds, writes to a throwaway log and shows events, spend and accuracy' {
        $mainJob = $blocks[0].Trim()
        $mainJob | Should -Match '^dotnet tool restore && dotnet build .* && SCOUT_AUDIT_PATH="\$\(mktemp -d\)/audit\.jsonl" dotnet pwsh '
        $stage = New-ExampleStage

        # A fresh HOME, as on a new machine, with the NuGet packages already fetched (so the test does not download).
        # It has a ~/.config: without one, .NET finds no application-data folder and NuGet writes its
        # user settings to ./NuGet/NuGet.Config in the working directory, the repository.
        $null = New-Item -ItemType Directory (Join-Path $stage.Home '.config')
        # The temporary folder of the stage, where mktemp makes the throwaway log's.
        $temporary = New-Item -ItemType Directory (Join-Path $stage.Root 'tmp')
        $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
        $run = Invoke-ChildProcess -FilePath bash -ArgumentList '-c', $mainJob -WorkingDirectory $root -TimeoutSeconds 600 -Environment @{
            HOME = $stage.Home; SCOUT_AUDIT_PATH = $null; NUGET_PACKAGES = $packages.Trim(); COLUMNS = '120'; TMPDIR = $temporary.FullName
        }

        $run.ExitCode | Should -Be 0 -Because "$($run.StdOut)$($run.StdErr)"
        Join-Path $stage.Home '.scout' | Should -Not -Exist -Because 'the demo must not write to the real log, which the original shares'
        $throwaway = @(Get-ChildItem -LiteralPath $temporary.FullName -Recurse -File -Filter 'audit.jsonl')
        $throwaway | Should -HaveCount 1
        $written = @(Get-Content -LiteralPath $throwaway[0].FullName | ConvertFrom-Json)
        $written.event | Should -Be 'nav', 'validation_fail'
        $written[0].cost | Should -Be 0.000003
        # Three tables (events, spend by model, accuracy), whatever width the output has.
        $text = $run.StdOut -replace '\e\[[0-9;]*m'
        $text | Should -Match '(?m)^\d\d-\d\d \d\d:\d\d nav +\S+ +0\.000003 +42 +28'
        $text | Should -Match '(?m)^llama-3\.1-8b +0\.000003 +2 +42 +28 '
        $text | Should -Match '(?m)^TotalNav +ValidationFailCount +AccuracyPct'
        $text | Should -Match '(?m)^ +1 +1 +0 *$'
    }

    It 'the test command is the one CI runs' {
        $testCommand = $blocks[1].Trim()
        $testCommand | Should -Match 'build\.ps1 Test'
        Get-Content (Join-Path $root '.ci/run') | Should -Contain "{ $testCommand; } 2>&1 | tee `"`$log`""
    }

    It 'the headline runs with a pwsh of the user''s own' {
        $headline = $blocks[2].Trim()
        $headline | Should -Match '^pwsh '
        $stage = New-ExampleStage
        # "pwsh" on PATH is the pwsh running these tests.
        $bin = Join-Path $stage.Root 'bin'
        $null = New-Item -ItemType Directory $bin
        $pwsh = Get-PwshCommand
        Set-Content (Join-Path $bin 'pwsh') -Value "#!/bin/sh`nexec $(($pwsh | ForEach-Object { "'$_'" }) -join ' ') `"`$@`""
        chmod +x (Join-Path $bin 'pwsh')

        $run = Invoke-ChildProcess -FilePath bash -ArgumentList '-c', $headline -WorkingDirectory $root -Environment @{
            HOME = $stage.Home; SCOUT_AUDIT_PATH = $stage.Log; PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH"; COLUMNS = '120'
        }

        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        # The seeded log: one nav 10 minutes ago (gpt-4o-mini) is in the last hour, the one of 90 minutes ago is not.
        $navRows = @($run.StdOut -split "`n" | Where-Object { $_ -match ' nav ' })
        $navRows | Should -HaveCount 1
        $navRows[0] | Should -Match ' nav +gpt-4o-\S+ +0\.0004\b'
    }
}
