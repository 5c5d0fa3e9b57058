#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Issue 13 item 4: lines the original reads whose standard fields have the wrong JSON type are events:
# counted as the original counts them, the raw values kept in InvalidFields, left out of sums, one warning.

Describe 'Lines with fields of the wrong type' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/../../module/ScoutAudit.psd1")) -Force

        # The committed fixture the reference model wrote (its log() keeps a caller's Decimal, str or NaN as it is).
        $oddLines = [System.IO.File]::ReadAllText([System.IO.Path]::GetFullPath("$PSScriptRoot/../ScoutAudit.Core.Tests/Fixtures/model_odd_lines.jsonl"))
        $head = '{"ts": "2026-02-13T14:30:22.123Z", "event": "nav", "session_id": "s"'

        function New-OddLog([string] $Text) {
            $path = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
            [System.IO.File]::WriteAllText($path, $Text, [System.Text.UTF8Encoding]::new($false))
            $path
        }
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    It 'counts 4 nav, 1 failure and 75 percent on the issue''s file, as the original does' {
        $log = New-OddLog $oddLines

        $accuracy = Get-ScoutAuditAccuracy -Path $log -Since ([datetime]'2000-01-01') -WarningVariable warnings -WarningAction SilentlyContinue

        $accuracy.TotalNav | Should -Be 4
        $accuracy.ValidationFailCount | Should -Be 1
        $accuracy.AccuracyPct | Should -Be 75.0
        @(Get-ScoutAuditEvent -Path $log -WarningAction SilentlyContinue).Count | Should -Be 6
        @($warnings).Count | Should -Be 1
        "$warnings" | Should -BeLike "4 events of '*' have fields of the wrong type (*files: 2*), kept as raw values in InvalidFields and left out of sums;*"
    }

    It 'keeps a wrong-typed field as its raw JSON text and leaves the standard property null' {
        $log = New-OddLog ($head + ', "cost": "0.5", "files": "a.py", "output_t": 3.7, "model": "m"}' + "`n")

        $e = Get-ScoutAuditEvent -Path $log -WarningAction SilentlyContinue

        $e.Cost | Should -BeNullOrEmpty
        $e.Files | Should -BeNullOrEmpty
        $e.InvalidFields.cost | Should -Be '"0.5"'
        $e.InvalidFields.cost | ConvertFrom-Json | Should -Be '0.5'
        $e.InvalidFields.files | Should -Be '"a.py"'
        $e.InvalidFields.output_t | Should -Be '3.7'
        $e.Model | Should -Be 'm'
    }

    It 'leaves wrong-typed costs and NaN out of the spend and sums a negative cost with one warning' {
        $log = New-OddLog (@(
            $head + ', "cost": 0.25, "input_t": 10}'
            $head + ', "cost": "0.5"}'
            $head + ', "cost": NaN, "input_t": 99999999999999999999}'
            $head + ', "cost": -0.125}'
        ) -join "`n") + "`n"

        $spend = Get-ScoutAuditSpend -Path $log -Since ([datetime]'2000-01-01') -WarningVariable warnings -WarningAction SilentlyContinue

        $spend.Cost | Should -Be 0.125
        $spend.Events | Should -Be 4
        $spend.InputTokens | Should -Be 10
        @($warnings).Count | Should -Be 2
        $warnings[0] | Should -BeLike "2 events of '*' have fields of the wrong type (cost: 2, input_t: 1)*"
        $warnings[1] | Should -BeLike "1 event of '*' has a negative cost, summed as the original sums them*"
    }

    It 'shows each line with fields of the wrong type with -Verbose' {
        $log = New-OddLog ($head + ', "model": 123}' + "`n" + $head + '}' + "`n")

        $verbose = Get-ScoutAuditEvent -Path $log -Verbose -WarningAction SilentlyContinue 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        @($verbose.Message -like "Line 1 of '*': model is 123 where a string belongs; kept as raw value in InvalidFields*").Count | Should -Be 1
    }

    It 'keeps extra fields named like standard ones ignoring case reachable by their exact names' {
        $log = New-OddLog ($head + ', "cost": 0.5, "Cost": 2, "TS": "x", "Input_T": 7, "note": "n"}' + "`n")

        $e = Get-ScoutAuditEvent -Path $log

        $e.Cost | Should -Be 0.5
        $e.ExtraFields['Cost'] | Should -Be 2
        $e.ExtraFields['TS'] | Should -Be 'x'
        $e.ExtraFields['Input_T'] | Should -Be 7
        $e.ExtraFields.Keys | Should -Be @('Cost', 'TS', 'Input_T', 'note')
        $e.note | Should -Be 'n'
        $e.InvalidFields | Should -BeNullOrEmpty
    }

    It 'writes a piped event with fields of the wrong type back byte for byte' {
        $line = $head + ', "cost": NaN, "files": "a.py", "config": {"t": Infinity}}'
        $source = New-OddLog ($line + "`n")
        $target = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"

        Get-ScoutAuditEvent -Path $source -WarningAction SilentlyContinue | Write-ScoutAuditEvent -Path $target
        Close-ScoutAuditLog -Path $target

        [System.IO.File]::ReadAllText($target) | Should -BeExactly ($line + "`n")
    }
}
