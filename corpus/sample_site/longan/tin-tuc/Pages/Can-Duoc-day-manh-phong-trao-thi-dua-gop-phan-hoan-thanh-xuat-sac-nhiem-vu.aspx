<!DOCTYPE html>
<html lang="vi" dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Cần Đước đẩy mạnh phong trào thi đua góp phần hoàn thành xuất sắc nhiệm vụ - Cổng thông tin điện tử tỉnh Long An</title>
<link rel="canonical" href="https://www.longan.gov.vn/tin-tuc/Pages/Can-Duoc-day-manh-phong-trao-thi-dua-gop-phan-hoan-thanh-xuat-sac-nhiem-vu.aspx">
</head>
<body>
<form method="post" action="./Pages" id="aspnetForm">
<div id="s4-workspace"><div id="s4-bodyContainer">
  <div class="la-header"><div class="la-lang">Tiếng Việt | English</div>
    <ul class="la-menu"><li><a href="/tin-tuc/Pages/default.aspx">Tin tức</a></li><li><a href="/Pages/gioi-thieu.aspx">Giới thiệu</a></li></ul></div>
  <div id="contentBox"><div class="ms-webpart-zone ms-fullWidth"><div class="ms-webpartzone-cell">
    <div class="la-news-detail">
      <div class="la-news-date">13/04/2022 - 09:44</div>
      <h1 class="la-news-title">Cần Đước đẩy mạnh phong trào thi đua góp phần hoàn thành xuất sắc nhiệm vụ</h1>
      <div class="la-news-summary">Năm 2021, Cần Đước, tỉnh Long An triển khai, thực hiện công tác thi đua, khen thưởng (TĐKT) trong điều kiện khó khăn do dịch Covid-19 diễn biến phức tạp, kéo dài. Tuy nhiên, với sự phấn đấu, nỗ lực của các cấp, các ngành, cộng đồng doanh nghiệp và người dân toàn huyện cùng sự điều hành quyết liệt của chính quyền địa phương, các phong trào thi đua yêu nước được triển khai, thực hiện tạo sự lan tỏa rộng rãi, tích cực.</div>
      <div id="ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl01_label">
<p>Các cơ quan, đơn vị ký kết giao ước thi đua năm 2022</p>
<p>Chủ tịch UBND, Chủ tịch Hội đồng TĐKT huyện Cần Đước - Huỳnh Văn Quang Hùng cho biết: “Ngay từ đầu năm, UBND huyện ban hành nhiều văn bản chỉ đạo, điều hành và hướng dẫn công tác TĐKT, đặc biệt là ban hành các kế hoạch phát động phong trào thi đua yêu nước trên nhiều lĩnh vực, tổ chức đăng ký, ký kết giao ước thi đua giữa các cơ quan, đơn vị, địa phương.</p>
<p>Ngoài ra, UBND huyện còn chú trọng công tác sơ kết, tổng kết, tuyên dương, khen thưởng tập thể, cá nhân có thành tích xuất sắc trên các lĩnh vực và xem đây là một trong những tiêu chuẩn đánh giá phong trào thi đua”. Do xác định đúng trọng tâm, trọng điểm và phát động TĐKT kịp thời, các phong trào thi đua phát huy hiệu quả. Qua đó, tạo tính lan tỏa tác động tích cực, góp phần thực hiện thắng lợi các chỉ tiêu phát triển KT - XH theo Nghị quyết Huyện ủy, Nghị quyết HĐND huyện trong năm 2021, bảo đảm quốc phòng - an ninh và nâng cao năng lực hiệu quả hoạt động của hệ thống chính trị.</p>
<p>Năm qua, UBND huyện kịp thời cụ thể hóa các chương trình đột phá, công trình trọng điểm theo Nghị quyết Đại hội XII Đảng bộ huyện; tập trung chỉ đạo thực hiện hoàn thành 23/25 chỉ tiêu đạt và vượt theo Nghị quyết Huyện ủy đề ra. Nhiều chỉ tiêu KT - XH đạt và vượt như tổng thu ngân sách được 550 tỉ đồng, đạt 147,4% dự toán tỉnh giao; sản xuất nông nghiệp phát triển ổn định; công nghiệp và thương mại - dịch vụ phát triển khá trong tình hình dịch Covid-19; thực hiện tốt công tác phòng, chống dịch Covid-19 và công tác an sinh xã hội; công tác quân sự, quốc phòng được triển khai đúng kế hoạch, có chất lượng; hoạt động của hệ thống chính trị có nhiều đổi mới, hiệu quả cao;...</p>
<p>Với những kết quả đã đạt năm 2021, toàn huyện có 318 cá nhân được công nhận đạt danh hiệu Chiến sĩ thi đua cấp cơ sở, 72 tập thể và 1.637 cá nhân được công nhận danh hiệu Lao động tiên tiến, 726 tập thể và 2.392 cá nhân được nhận giấy khen hoàn thành xuất sắc nhiệm vụ năm, chuyên đề và đột xuất.</p>
<p>Phát huy những kết quả đã đạt, năm 2022, huyện tiếp tục đổi mới công tác TĐKT, phát hiện, tổng kết và nhân rộng điển hình tiên tiến theo Chỉ thị số 34-CT/TW, ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác TĐKT và Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh. Đồng thời, huyện nâng cao, đổi mới nội dung, phương thức và các giải pháp trong tổ chức phong trào thi đua yêu nước./.</p>
<p>Vừa qua, Chủ tịch UBND huyện Cần Đước biểu dương, khen thưởng cho 12 tập thể thực hiện hoàn thành tốt chỉ tiêu được giao năm 2021, công nhận danh hiệu 5 tập thể Lao động tiên tiến; danh hiệu Chiến sĩ thi đua cơ sở cho 13 cá nhân; tặng giấy khen cho 14 tập thể và 139 cá nhân có thành tích hoàn thành tốt nhiệm vụ năm 2021.</p>
      </div>
      <div class="la-news-author">Huỳnh Hương</div>
      <div class="la-share">Chia sẻ bài viết</div>
    </div>
  </div></div></div>
</div></div>
</form>
</body>
</html>
