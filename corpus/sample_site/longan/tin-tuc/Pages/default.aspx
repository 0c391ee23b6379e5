<!DOCTYPE html>
<html lang="vi" dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Tin tức - Cổng thông tin điện tử tỉnh Long An</title>
</head>
<body>
<form method="post" action="./default.aspx" id="aspnetForm">
<div id="s4-workspace"><div id="s4-bodyContainer">
  <div class="la-header"><div class="la-lang">Tiếng Việt | English</div></div>
  <div class="ms-webpart-zone ms-fullWidth">
    <ul class="la-news-list">
<li class="item"><h3><a href="/tin-tuc/Pages/Can-Duoc-day-manh-phong-trao-thi-dua-gop-phan-hoan-thanh-xuat-sac-nhiem-vu.aspx">Cần Đước đẩy mạnh phong trào thi đua góp phần hoàn thành xuất sắc nhiệm vụ</a></h3><span class="time">13/04/2022 - 09:44</span><p>Năm 2021, Cần Đước, tỉnh Long An triển khai, thực hiện công tác thi đua, khen thưởng (TĐKT) trong điều kiện khó khăn do dịch Covid-19 diễn biến phức tạp, kéo dà</p></li>
<li class="item"><h3><a href="/tin-tuc/Pages/Long-An-khoi-cong-nang-cap-tuyen-duong-tinh-830.aspx">Long An khởi công nâng cấp tuyến đường tỉnh 830</a></h3><span class="time">05/04/2022 - 14:10</span><p>Sáng 5/4, Sở Giao thông vận tải tỉnh Long An tổ chức khởi công dự án nâng cấp, mở rộng đường tỉnh 830 đoạn qua huyện Bến Lức và Đức Hòa.</p></li>
<li class="item"><h3><a href="/tin-tuc/Pages/Nong-dan-Thanh-Hoa-trung-mua-thanh-long.aspx">Nông dân Thạnh Hóa trúng mùa thanh long</a></h3><span class="time">28/03/2022 - 08:30</span><p>Vụ thanh long nghịch mùa năm nay, nhiều nhà vườn ở huyện Thạnh Hóa thu hoạch đạt sản lượng cao, trái to, đẹp, được thương lái thu mua tại vườn.</p></li>
    </ul>
    <div class="la-paging">Trang 1: <a href="/tin-tuc/Pages/default.aspx?Paged=2">2</a></div>
  </div>
</div></div>
</form>
</body>
</html>
