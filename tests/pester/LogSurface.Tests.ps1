#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The log-level commands as a user pipes into them: each acts once per log however many objects
# name it, archives flow from Get-ScoutAuditArchive into Remove-ScoutAuditArchive, retention says
# what it removes, and Test-ScoutAuditLog writes nothing but its verification state.

BeforeAll {
    Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
    Import-Module (Get-ScoutAuditModulePath) -Force
    $savedAuditPath = $env:SCOUT_AUDIT_PATH

    # What a script prints in a child pwsh (What if: lines go to the host, not to a stream).
    function Invoke-Script([string] $Folder, [string] $Code) {
        $script = Join-Path $Folder "script-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $script -Value "Import-Module '$(Get-ScoutAuditModulePath)'`n$Code"
        Invoke-ChildPwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -Environment @{
            HOME = $Folder; SCOUT_AUDIT_PATH = (Join-Path $Folder 'default.jsonl'); COLUMNS = '80'
        }
    }

    # Lines of text that match a pattern, as an array however many there are.
    function Select-Line([string] $Text, [string] $Pattern) { @($Text -split "`r?`n" | Where-Object { $_ -match $Pattern }) }
}

AfterAll {
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    $env:SCOUT_AUDIT_PATH = $savedAuditPath
}

Describe 'Log-level commands given the events of a log' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.jsonl'
        1..3 | ForEach-Object { Write-ScoutAudit nav -Cost 0.5 -Path $log }
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'Invoke-ScoutAuditRotate -WhatIf says once that it would rotate the log of three piped events' {
        $run = Invoke-Script $folder "Get-ScoutAuditEvent -Path '$log' | Invoke-ScoutAuditRotate -WhatIf"

        $run.StdErr | Should -BeNullOrEmpty
        Select-Line $run.StdOut '^What if: .*Seal the active file' | Should -HaveCount 1
    }

    It 'Invoke-ScoutAuditRotate rotates the log of three piped events once, after reading them' {
        $said = Get-ScoutAuditEvent -Path $log | Invoke-ScoutAuditRotate -Confirm:$false -Verbose 4>&1

        @($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -match 'Seal the active file' }) | Should -HaveCount 1
        $archives = @($said | Where-Object { $_ -is [ScoutAudit.ArchiveInfo] })
        $archives | Should -HaveCount 1
        $archives[0].Lines | Should -Be 3
    }

    It 'Get-ScoutAuditLog describes the log of three piped events once' {
        $info = @(Get-ScoutAuditEvent -Path $log | Get-ScoutAuditLog)

        $info | Should -HaveCount 1
        $info[0].Path | Should -Be $log
    }

    It 'Close-ScoutAuditLog closes the log of three piped events once' {
        $said = Get-ScoutAuditEvent -Path $log | Close-ScoutAuditLog -Verbose 4>&1

        @($said | Where-Object { "$_" -match '^Closed the audit log' }) | Should -HaveCount 1
    }

    It 'Test-ScoutAuditLog verifies the log of three piped events once' {
        $summaries = @(Get-ScoutAuditEvent -Path $log | Test-ScoutAuditLog | Where-Object { $_ -is [ScoutAudit.LogVerification] })

        $summaries | Should -HaveCount 1
        @(Get-ScoutAuditEvent -Path $log | Test-ScoutAuditLog -Quiet) | Should -Be @($true)
    }

    It 'Remove-ScoutAuditArchive -WhatIf names each archive once for the log of three piped events' {
        1..2 | ForEach-Object { $null = Invoke-ScoutAuditRotate -Path $log -Confirm:$false; Write-ScoutAudit nav -Path $log }
        Close-ScoutAuditLog -Path $log

        $run = Invoke-Script $folder "Get-ScoutAuditEvent -Path '$log' | Remove-ScoutAuditArchive -Keep 0 -WhatIf"

        $run.StdErr | Should -BeNullOrEmpty
        Select-Line $run.StdOut '^What if: .*Remove the archive' | Should -HaveCount 2
        @(Get-ChildItem -LiteralPath $folder -Filter '*.jsonl.gz') | Should -HaveCount 2
    }

    It 'acts once on each of two logs whose events are piped together' {
        $second = Join-Path $folder 'second.jsonl'
        1..2 | ForEach-Object { Write-ScoutAudit brief -Path $second }

        $info = @(@(Get-ScoutAuditEvent -Path $log) + @(Get-ScoutAuditEvent -Path $second) + @(Get-ScoutAuditEvent -Path $log) | Get-ScoutAuditLog)

        $info.Path | Should -Be @($log, $second)
        Close-ScoutAuditLog -Path $second
    }
}
