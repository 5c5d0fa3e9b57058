#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-ScoutAuditReport as a user runs it: one self-contained page, the cmdlets' numbers, the
# usual -WhatIf and -PassThru, and clear errors. The page in a browser: HtmlReportTests (xunit).

Describe 'Export-ScoutAuditReport' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        $report = Join-Path $folder 'report.html'
        $today = [DateTimeOffset]::new([DateTime]::UtcNow.Date, [TimeSpan]::Zero)
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'writes one page of the last 30 UTC days with the totals of Get-ScoutSpend and Get-ScoutAccuracy, and returns it with -PassThru' {
        Write-ScoutAudit nav -Model gpt-4o-mini -Cost 0.25 -InputTokens 100 -OutputTokens 10 -Timestamp $today.AddHours(1) -Path $log
        Write-ScoutAudit validation_fail -Reason 'bad <b>json</b>' -Timestamp $today.AddDays(-29) -Path $log
        Write-ScoutAudit nav -Model old -Cost 99 -Timestamp $today.AddDays(-30) -Path $log

        $file = Export-ScoutAuditReport -Path $report -LogPath $log -PassThru

        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be $report
        $html = Get-Content -Raw -LiteralPath $report
        $spend = Get-ScoutSpend -Path $log -Since $today.AddDays(-29) -Until $today.AddDays(1)
        $spend.Cost | Should -Be 0.25
        $html | Should -Match ([regex]::Escape('<dd>$' + $spend.Cost.ToString([cultureinfo]::InvariantCulture) + '</dd>'))
        $html | Should -Match ([regex]::Escape("<dd>$((Get-ScoutAccuracy -Path $log -Since $today.AddDays(-29) -Until $today.AddDays(1)).AccuracyPct.ToString('0.00', [cultureinfo]::InvariantCulture)) %</dd>"))
        $html | Should -Match '30 days'
        $html | Should -Not -Match '>old<'
        $html | Should -Match 'bad &lt;b&gt;json&lt;/b&gt;'
        $html | Should -Match "<meta http-equiv=""Content-Security-Policy"" content=""default-src 'none';"
        $html | Should -Not -Match '<script|src=|href='
        ([regex]::Matches($html, '<svg ')).Count | Should -Be 5
    }

    It 'adds up several logs, in the window given as whole UTC days' {
        $other = Join-Path $folder 'other.jsonl'
        Write-ScoutAudit nav -Cost 1.5 -Timestamp $today.AddDays(-3).AddHours(5) -Path $log
        Write-ScoutAudit nav -Cost 2.25 -Timestamp $today.AddDays(-2).AddHours(23) -Path $other
        Write-ScoutAudit nav -Cost 4 -Timestamp $today.AddDays(-1) -Path $other

        Export-ScoutAuditReport -Path $report -LogPath $log, $other -Since $today.AddDays(-3).AddHours(12) -Until $today.AddDays(-2).AddHours(1)

        $html = Get-Content -Raw -LiteralPath $report
        $html | Should -Match ([regex]::Escape('<dd>$3.75</dd>'))
        $html | Should -Match '2 days'
        $html | Should -Match ([regex]::Escape("<code>$other</code>"))
        Close-ScoutAuditLog -Path $other
    }

    It 'writes nothing under -WhatIf and replaces an existing report otherwise' {
        Write-ScoutAudit nav -Cost 0.5 -Path $log
        Export-ScoutAuditReport -Path $report -LogPath $log -WhatIf
        Test-Path -LiteralPath $report | Should -BeFalse

        Set-Content -LiteralPath $report -Value 'old'
        Export-ScoutAuditReport -Path $report -LogPath $log -Title 'Fresh'
        Get-Content -Raw -LiteralPath $report | Should -Match '<title>Fresh</title>'
        Get-ChildItem -LiteralPath $folder -Filter '*.tmp' | Should -BeNullOrEmpty
    }

    It 'says which file it could not write, and leaves no part of it' {
        Write-ScoutAudit nav -Path $log
        $missing = Join-Path $folder 'no-such-folder/report.html'

        { Export-ScoutAuditReport -Path $missing -LogPath $log -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReportWriteFailed,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand' -ExpectedMessage "*could not be written to '$missing'*"
        Test-Path -LiteralPath (Join-Path $folder 'no-such-folder') | Should -BeFalse
    }

    It 'writes the report and says so when -Show finds no browser to open it' {
        Write-ScoutAudit nav -Path $log
        $savedPath = $env:PATH
        try {
            # No xdg-open (or any other opener) on the PATH: a server without a desktop.
            $env:PATH = Join-Path $folder 'empty-bin'
            Export-ScoutAuditReport -Path $report -LogPath $log -Show -WarningVariable warnings -WarningAction SilentlyContinue
        }
        finally {
            $env:PATH = $savedPath
        }
        Test-Path -LiteralPath $report | Should -BeTrue
        $warnings.Message | Should -Match "The report was written to '.*report\.html', but no browser could open it"
    }

    It 'warns, naming -LogPath, when no log is there, and writes a report of nothing' {
        Export-ScoutAuditReport -Path $report -LogPath $log -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings.Message | Should -Match "No audit log at '.*audit\.jsonl'.*Check -LogPath"
        Get-Content -Raw -LiteralPath $report | Should -Match '<dd>100\.00 % <small>\(no nav events\)</small></dd>'
    }

    It 'refuses a window that ends before it starts' {
        { Export-ScoutAuditReport -Path $report -LogPath $log -Since $today -Until $today.AddDays(-1) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidTimeWindow,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand'
        Test-Path -LiteralPath $report | Should -BeFalse
    }
}
