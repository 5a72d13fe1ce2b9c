"""Writes xlsx_openpyxl.xlsx with openpyxl (run: python3 xlsx_openpyxl.py)."""
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table

wb = Workbook()
ws = wb.active
ws.title = "Bets"
ws.append(["Stake", "Odds", "Return"])
for stake, odds in [(10, 1.5), (20, 2.25), (5, 3.0)]:
    row = ws.max_row + 1
    ws.append([stake, odds, f"=A{row}*B{row}"])
ws["E1"] = "=SUM(C2:C4)"
ws["F1"] = ArrayFormula("F1:F3", "=A2:A4*2")
ws["G1"] = True
ws["H1"] = "=IF(G1,\"yes\",\"no\")"
ws.add_table(Table(displayName="BetTable", ref="A1:C4"))

dv = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
dv.add("A2:A100")
ws.add_data_validation(dv)

calc = wb.create_sheet("Calc")
calc["A1"] = "=Bets!E1*Margin"
wb.defined_names["Margin"] = DefinedName("Margin", attr_text="0.95")
calc.defined_names["Local"] = DefinedName("Local", attr_text="Calc!$A$1")

wb.calculation.iterate = True
wb.calculation.iterateCount = 10
wb.save("xlsx_openpyxl.xlsx")
