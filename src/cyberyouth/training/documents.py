"""A document maker: certificates of completion of a training course (DOCX in the Decree 30
layout through the reports app's layout helpers; PDF through LibreOffice when installed), one
page per person, each with its number and the verification code the public page checks."""

from cyberyouth.orgs import selectors as org_selectors

from .models import Certificate, Course


def verify_path(code: str) -> str:
    return f"/tap-huan/xac-minh/?ma={code}"


def certificates_docx(*, course: Course, certificates: list[Certificate], site: str) -> bytes:
    from cyberyouth.reports import selectors as report_selectors
    from cyberyouth.reports.composer import default_signature
    from cyberyouth.reports.docx_layout import Header, OfficialDocument

    unit = course.unit
    first_on = min((c.issued_on for c in certificates), default=org_selectors.today())
    issuer = report_selectors.issuer_for(unit=unit, on=first_on)
    place = report_selectors.name_on(org_selectors.administrative_unit_of(unit=unit, on=first_on), first_on)
    place = place.replace("Đặc khu ", "").replace("Xã ", "").replace("Phường ", "")
    doc = None
    for cert in certificates:
        header = Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
                        number=f"Số: {cert.number}", place=place, on=cert.issued_on)
        if doc is None:
            doc = OfficialDocument(header=header, doc_type="GIẤY CHỨNG NHẬN",
                                   summary="Hoàn thành lớp tập huấn, bồi dưỡng",
                                   title=f"Giấy chứng nhận — {course.title}")
        else:
            doc.page_break()
            doc.header = header
            doc._header_block()
            doc._type_and_summary()
        staff = cert.staff
        doc.paragraph(f"{issuer.short_name} chứng nhận:", indent=False)
        doc.paragraph(f"Ông/Bà: {staff.full_name}", bold=True, indent=False)
        if staff.birth_date:
            doc.paragraph(f"Ngày sinh: {staff.birth_date:%d/%m/%Y}", indent=False)
        position = ", ".join(x for x in (staff.position, staff.unit.name) if x)
        doc.paragraph(f"Chức vụ, đơn vị công tác: {position}", indent=False)
        doc.paragraph(
            f"Đã hoàn thành lớp “{course.title}” do {course.organiser} tổ chức từ ngày "
            f"{course.starts_on:%d/%m/%Y} đến ngày {course.ends_on:%d/%m/%Y}, hình thức "
            f"{course.get_mode_display().lower()}"
            + (f", thời lượng {course.hours} giờ" if course.hours else "") + ".")
        if course.topic:
            doc.paragraph(f"Chủ đề: {course.topic}.", indent=False)
        doc.paragraph(f"Mã xác minh: {cert.code}. Kiểm tra giấy chứng nhận tại {site}{verify_path(cert.code)}",
                      italic=True, indent=False)
        doc.closing(recipients=["Người được cấp", f"Lưu: VT, {issuer.symbol}"], signature=default_signature(unit))
    return doc.to_bytes()
